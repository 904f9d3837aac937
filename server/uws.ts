/**
 * Loads uWebSockets.js and refuses to run on its JS fallback. The package we depend on
 * silently falls back to a Node `ws`-based shim when no native binary matches this Node
 * build; that shim lacks uWS's performance and parts of its API, so we fail loudly.
 */
import uWS from 'uWebSockets.js';

export function isNativeUws(mod: unknown): boolean {
  const m = mod as Record<string, unknown>;
  // Only the native addon exports the shared compressor constants and getParts.
  return typeof m.getParts === 'function' && 'SHARED_COMPRESSOR' in m;
}

export function loadUws(): typeof uWS {
  if (!isNativeUws(uWS)) {
    throw new Error(
      `uWebSockets.js is running its JS fallback, not native uWS (Node ${process.versions.node}, ` +
        `ABI ${process.versions.modules}); use Node 20 on linux/darwin/win x64 or arm64, and unset UWS_USE_FALLBACK`,
    );
  }
  return uWS;
}

export type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, WebSocketBehavior, us_listen_socket } from 'uWebSockets.js';
