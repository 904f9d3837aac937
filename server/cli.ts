/**
 * `tickwire` entry point (bin/tickwire.js runs the built dist/server/cli.js): the commands
 * are in cliCommands.ts, the options in cliOptionTable.ts (parsed by cliOptions.ts).
 */
import { runCli } from './cliCommands.js';

process.exit(await runCli(process.argv.slice(2)));
