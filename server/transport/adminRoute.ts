/**
 * `/admin`: operators only. The upgrade requires an admin token (`tickwire token --admin`);
 * a player token is refused with 403 before the upgrade. Commands are Request frames
 * (`[5, id, method, body]`) answered by Response frames with the same id.
 */
import { ClientType, encodeServer, ServerType } from '../../protocol/index.js';
import type { Logger } from '../observability/logger.js';
import { keepaliveIdleMs, registerNamespace, type NamespaceDeps, type NamespaceHandle } from './namespace.js';

/** What the socket needs from the admin service (server/admin/adminCommands.ts implements it). */
export interface AdminCommandRunner {
  run(method: string, body: unknown): Promise<{ ok: boolean; body: unknown }>;
}

export interface AdminRouteOptions {
  commands: AdminCommandRunner;
  log: Logger;
  idleTimeoutSeconds: number;
  maxFrameBytes: number;
}

export function registerAdminRoute(d: NamespaceDeps, o: AdminRouteOptions): NamespaceHandle {
  return registerNamespace<null>(d, {
    path: '/admin',
    name: 'admin',
    idleTimeoutSeconds: o.idleTimeoutSeconds,
    // A socket must complete a frame or answer a ping within the window (4017 otherwise).
    closeIdleAfterMs: keepaliveIdleMs(o.idleTimeoutSeconds),
    pongKeepsAlive: true,
    maxFrameBytes: o.maxFrameBytes,
    verify: (token) => d.tokens.verifyAdmin(token),
    authorize: () => ({ ok: true, state: null }),
    open: (ctx) => o.log.info({ admin: ctx.user.id }, 'admin connected'),
    message: (ctx, msg) => {
      if (msg.type !== ClientType.Request) return;
      void o.commands.run(msg.method, msg.body).then((r) => {
        o.log.info({ admin: ctx.user.id, method: msg.method, ok: r.ok }, 'admin command');
        ctx.conn.send(encodeServer({ type: ServerType.Response, id: msg.id, ok: r.ok, body: r.body }), 'response');
      });
    },
    close: () => {},
  });
}
