/**
 * Listening on the server's port, exclusively, and saying why it failed.
 *
 * uWS listens with SO_REUSEPORT by default: a second process on the same port would start
 * and the kernel would split connections between two servers with different secrets and
 * matches. LISTEN_EXCLUSIVE_PORT turns that off, so the second one fails to listen and the
 * CLI exits 1 (docs/hosting.md, "Errors and exit status").
 *
 * uWS only reports failure (no errno), so on failure we look at the host: an address that
 * is not this machine's (or a name that does not resolve) gets its own message instead of
 * "already in use". The look-up runs once, at start-up, never on the tick loop.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { LISTEN_EXCLUSIVE_PORT, type TemplatedApp, type us_listen_socket } from './uwsTypes.js';

export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(
      port > 0 && port < 1024
        ? `cannot listen on ${host}:${port}: the port is in use or needs root (ports below 1024); pass another --port`
        : `port ${port} on ${host} is already in use: stop the other process or pass another --port`,
    );
  }
}

export class HostNotLocalError extends Error {
  constructor(readonly host: string, reason: string, local: readonly string[]) {
    const these = local.length ? ` (this machine has ${local.join(', ')})` : '';
    super(`cannot listen on ${host}: ${reason}${these}; pass one of this machine's addresses to --host, or 0.0.0.0 for all of them`);
  }
}

export interface HostCheckDeps {
  /** Every address `host` resolves to (throws when it does not resolve). */
  resolve(host: string): Promise<string[]>;
  /** This machine's interface addresses. */
  localAddresses(): string[];
}

const systemDeps: HostCheckDeps = {
  resolve: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
  localAddresses: () =>
    Object.values(networkInterfaces())
      .flat()
      .flatMap((i) => (i ? [i.address] : [])),
};

const UNSPECIFIED = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** Loopback binds work for all of 127/8 on Linux, not only for the interface's 127.0.0.1. */
function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address) || /^::ffff:127\./i.test(address);
}

/** null when `host` names this machine; otherwise the error to report. */
export async function checkLocalHost(host: string, deps: HostCheckDeps = systemDeps): Promise<HostNotLocalError | null> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (UNSPECIFIED.has(bare)) return null;
  const local = deps.localAddresses();
  let addresses: string[];
  if (isIP(bare)) {
    addresses = [bare];
  } else {
    try {
      addresses = await deps.resolve(bare);
    } catch {
      return new HostNotLocalError(host, 'the name does not resolve to an address', local);
    }
  }
  const mine = addresses.some((a) => isLoopback(a) || UNSPECIFIED.has(a) || local.some((l) => l.toLowerCase() === a.toLowerCase()));
  if (mine) return null;
  const what = isIP(bare) ? 'not an address of this machine' : `${addresses.join(', ')} is not an address of this machine`;
  return new HostNotLocalError(host, what, local);
}

/** Listens exclusively; rejects with PortInUseError or HostNotLocalError. */
export function listenExclusive(app: TemplatedApp, host: string, port: number, deps: HostCheckDeps = systemDeps): Promise<us_listen_socket> {
  return new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(host, port, LISTEN_EXCLUSIVE_PORT, (token) => {
      if (token) return resolve(token);
      void checkLocalHost(host, deps).then(
        (notLocal) => reject(notLocal ?? new PortInUseError(host, port)),
        () => reject(new PortInUseError(host, port)),
      );
    });
  });
}
