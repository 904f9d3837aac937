/**
 * `npm start` entry: `tickwire serve` configured from the environment (PORT, TICKWIRE_*)
 * and any flags after `npm start --`. See server/cliOptionTable.ts for every option.
 */
import { runCli } from './cliCommands.js';

process.exit(await runCli(['serve', ...process.argv.slice(2)]));
