/**
 * `k6/timers`: setTimeout/setInterval with numeric ids. A pending timer keeps the
 * iteration alive (k6 waits for the event loop); clearing it releases the iteration.
 */
import type { Handle, VuLoop } from '../vuLoop.js';
import type { VuState } from '../vuServices.js';

export function timersModule(vu: VuState) {
  let nextId = 1;
  const live = new Map<number, { loop: VuLoop; handle: Handle }>();
  const start = (kind: 'setTimeout' | 'setInterval', fn: unknown, ms: unknown, args: unknown[]): number => {
    if (typeof fn !== 'function') throw new TypeError(`${kind}: the callback must be a function`);
    const loop = vu.requireLoop(kind);
    const delay = Math.max(0, Number(ms) || 0);
    const id = nextId++;
    let timer: NodeJS.Timeout;
    const handle: Handle = { cancel: () => clearTimeout(timer) };
    if (kind === 'setTimeout') {
      timer = setTimeout(() => {
        live.delete(id);
        loop.remove(handle, false);
        loop.run(() => fn(...args));
      }, delay);
    } else {
      timer = setInterval(() => loop.run(() => fn(...args)), Math.max(1, delay));
    }
    live.set(id, { loop, handle });
    loop.add(handle);
    return id;
  };
  const clear = (id: unknown) => {
    const t = live.get(Number(id));
    if (!t) return;
    live.delete(Number(id));
    t.handle.cancel();
    t.loop.remove(t.handle);
  };
  return {
    setTimeout: (fn: unknown, ms?: unknown, ...args: unknown[]) => start('setTimeout', fn, ms, args),
    setInterval: (fn: unknown, ms?: unknown, ...args: unknown[]) => start('setInterval', fn, ms, args),
    clearTimeout: clear,
    clearInterval: clear,
  };
}
