/**
 * A `--workers` worker's listen on the REST port its siblings share: uWS's default listen
 * (SO_REUSEPORT), so the kernel spreads REST connections over the workers. Every other
 * listen is exclusive (server/listen.ts); a worker's play port is too.
 */
import { PortInUseError } from '../listen.js';
import type { TemplatedApp, us_listen_socket } from '../uwsTypes.js';

/** uWS's LIBUS_LISTEN_DEFAULT: SO_REUSEPORT on. */
const LISTEN_DEFAULT = 0;

export function listenShared(app: TemplatedApp, host: string, port: number): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    app.listen(host, port, LISTEN_DEFAULT, (token) => (token ? resolve(token) : reject(new PortInUseError(host, port))));
  });
}
