/**
 * The `tickwire` commands: `serve` (run a dedicated server until a signal drains it),
 * `token --admin` (print an admin token), `--help` and `--version`. `runCli` returns the exit status
 * instead of exiting, so the entry points (server/cli.ts, server/main.ts) own the process:
 *   0  help, version, token, or the server drained and stopped
 *   1  the server could not start (port in use, no native uWS)
 *   2  invalid command line or configuration (one line naming the option and valid range)
 *   128+n  a second signal n cut the drain short (130 for SIGINT, 143 for SIGTERM)
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from './app.js';
import { registerModes } from './modes/modeRegistry.js';
import { mintAdminToken } from './auth/tokens.js';
import { formatMs, helpText, parseCommandLine, resolveServe, resolveToken, UsageError, type ParsedCommand } from './cliOptions.js';
import { createLogger } from './observability/logger.js';
import { runPrimary, workerSettings } from './cluster/workers.js';
import { VERSION } from './version.js';
import { BUILTIN_MODE_PLUGINS } from './cliModes.js';
import type { ModePlugin } from './modes/modePlugin.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
};

export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = processIo, plugins: readonly ModePlugin[] = BUILTIN_MODE_PLUGINS): Promise<number> {
  try {
    const parsed = parseCommandLine(argv, env, plugins);
    if (parsed.help) {
      io.out(helpText(parsed.command, parsed.plugins));
      return 0;
    }
    if (parsed.version) {
      io.out(`tickwire ${VERSION}`);
      return 0;
    }
    if (parsed.command === 'token') {
      const t = resolveToken(parsed);
      io.out(mintAdminToken(t.adminSecret, t.name, t.ttlSeconds));
      return 0;
    }
    return await serve(parsed, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`tickwire: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** The built browser client next to the server bundle (dist/client), if it was built. */
function findClientDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, '../client'), join(here, '../dist/client')].find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

async function serve(parsed: ParsedCommand, io: CliIo): Promise<number> {
  const settings = resolveServe(parsed, { clientDir: findClientDir() });
  const { config } = settings;
  const log = createLogger(config.logLevel);
  log.info({ config: settings.display, from: settings.sources }, 'effective configuration');
  if (config.jwtPublicKey) {
    log.info({ guests: config.allowGuest, keyId: config.jwtKeyId }, 'RS256 mode: player tokens are verified with the identity provider key');
  }

  // --workers N: this process supervises N worker processes (server/cluster/workers.ts).
  const worker = workerSettings();
  if (config.workers > 1 && !worker) return runPrimary(config, log, io);
  if (worker) Object.assign(config, { port: worker.port, publicUrl: worker.publicUrl });

  let server: RunningServer;
  try {
    // The app's own entry: createServer's internals plus a --workers worker's play port.
    // Loaded only to serve: --help, --version and token start without the whole server.
    const { startServer } = await import('./app.js');
    server = await startServer(config, { ...registerModes(settings.modes), logger: log, playPort: worker?.playPort });
  } catch (e) {
    io.err(`tickwire: ${(e as Error).message}`);
    return 1;
  }
  if (worker) {
    process.send?.({ ready: true });
    // The primary forwards its signals as messages; if it is gone (killed), drain like on
    // SIGTERM rather than run on unsupervised.
    process.on('message', (m) => {
      const signal = (m as { signal?: unknown } | null)?.signal;
      if (signal === 'SIGTERM' || signal === 'SIGINT') process.emit(signal, signal);
    });
    process.once('disconnect', () => process.emit('SIGTERM', 'SIGTERM'));
  }

  return new Promise<number>((resolve) => {
    let signals = 0;
    let status = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        log.info({ signal, drainTimeout: formatMs(config.drainTimeoutMs) }, 'shutting down: draining (send the signal again to end every match now)');
        void server.drain(config.drainTimeoutMs).then(async (report) => {
          await server.close();
          log.info({ status, matchesEndedAtDeadline: report.endedAtDeadline }, 'stopped');
          resolve(status);
        });
      } else if (signals === 2) {
        status = 128 + (constants.signals[signal] ?? 15);
        log.warn({ signal }, 'second signal: ending every match now');
        // Ending matches is synchronous; this only guards against something unforeseen
        // keeping the process up after the operator asked twice.
        setTimeout(() => process.exit(status), 2000).unref();
        void server.drain(0);
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
