/**
 * A bot swarm child process (loadtest/bots/main.ts) driven over its IPC channel: wait until
 * it is ready, reset its counters at the start of a window, read its stats at the end, stop.
 */
import type { ChildProcess } from 'node:child_process';
import type { SwarmEvent } from '../../loadtest/bots/main.js';
import type { SwarmStats } from '../../loadtest/bots/swarm.js';
import { stopChild } from './childProcesses.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SwarmProcess {
  private listeners: Array<(e: SwarmEvent) => void> = [];

  /** `child` is a bot swarm (loadtest/bots/main.ts) started with an IPC channel. */
  constructor(readonly child: ChildProcess) {
    this.child.on('message', (e: SwarmEvent) => {
      for (const l of this.listeners.slice()) l(e);
    });
  }

  private next<T extends SwarmEvent['event']>(event: T, timeoutMs = 180_000): Promise<Extract<SwarmEvent, { event: T }>> {
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`bot swarm: no ${event} within ${timeoutMs / 1000} s`)), timeoutMs);
      const l = (e: SwarmEvent) => {
        if (e.event !== event) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((x) => x !== l);
        res(e as Extract<SwarmEvent, { event: T }>);
      };
      this.listeners.push(l);
    });
  }

  ready() {
    return this.next('ready');
  }

  async reset(): Promise<void> {
    const r = this.next('reset');
    this.child.send({ cmd: 'reset' });
    await r;
  }

  async stats(): Promise<SwarmStats> {
    const r = this.next('stats');
    this.child.send({ cmd: 'stats' });
    return (await r).stats;
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.send({ cmd: 'stop' });
    await Promise.race([new Promise((r) => this.child.once('exit', r)), sleep(8000)]);
    await stopChild(this.child);
  }
}
