/**
 * `npm start` entry: configuration from the environment, then serve. Errors a user can
 * hit print one line naming the fix instead of a stack trace.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { PortInUseError, startServer } from './app.js';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  let config;
  try {
    const clientDir = [join(here, '../client'), join(here, '../../dist/client')].find((d) => existsSync(join(d, 'index.html'))) ?? null;
    config = loadConfig(process.env, { clientDir });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`tickwire: invalid option ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  try {
    const server = await startServer(config);
    const stop = () => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    if (e instanceof PortInUseError) {
      console.error(`tickwire: ${e.message}`);
      process.exit(1);
    }
    console.error(`tickwire: ${(e as Error).message}`);
    process.exit(1);
  }
}

void main();
