/**
 * `tickwire --help` and `tickwire <command> --help`: the usage lines, then each command's
 * options as the table lists them (server/cliOptionTable.ts), with their variables and defaults.
 */
import type { ModePlugin } from './modes/modePlugin.js';
import { BUILTIN_MODE_PLUGINS } from './cliModes.js';
import { optionsFor, type Command } from './cliOptionTable.js';

function optionLines(command: Command, plugins: readonly ModePlugin[]): string[] {
  const lines: string[] = [];
  for (const s of optionsFor(command, plugins)) {
    const flag = `  --${s.name}${s.placeholder ? ` ${s.placeholder}` : ''}`;
    const env = s.env.join(', ');
    lines.push(env ? `${flag.padEnd(40)} ${env}` : flag);
    lines.push(`      ${s.help} Default: ${s.defaultText}.`);
  }
  return lines;
}

export function helpText(command: Command | null, plugins: readonly ModePlugin[] = BUILTIN_MODE_PLUGINS): string {
  const usage = [
    'tickwire: authoritative multiplayer game server',
    '',
    'Usage:',
    '  tickwire serve [options]          run a dedicated server',
    '  tickwire token --admin [options]  print an admin token for /api/admin',
    '  tickwire <command> --help         the options of one command',
    '  tickwire --version                print the version (also -v)',
    '',
  ];
  const serve = [
    'Options of `tickwire serve` (a flag wins over its environment variable, which wins over the default):',
    ...optionLines('serve', plugins),
    '',
    'Durations are written 500ms, 30s, 5m, 1h or 2d; a bare number is seconds.',
    'Endpoints: /healthz (liveness), /readyz (readiness), /metrics (Prometheus), /api/admin/matches (admin token).',
    'SIGTERM or SIGINT drains (see --drain-timeout); a second signal ends every match and exits at once.',
    'Exit status: 0 after a drain, 1 when the server cannot start (port in use), 2 for invalid options.',
    '',
  ];
  const token = ['Options of `tickwire token`:', ...optionLines('token', plugins), '', 'Prints the token on stdout. Send it as `Authorization: Bearer <token>`.', ''];
  if (command === 'serve') return [...usage, ...serve].join('\n');
  if (command === 'token') return [...usage, ...token].join('\n');
  return [...usage, ...serve, ...token].join('\n');
}
