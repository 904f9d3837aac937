/**
 * A swarm's options (what main.ts and the capacity bench pass to Swarm) and their defaults.
 */
import type { UpstreamMode } from './upstream.js';

export type SwarmMode = 'play' | 'bare' | 'idle';

export interface SwarmOptions {
  /** http://host:port of the server. */
  target: string;
  players: number;
  mode: SwarmMode;
  /** WebSocket path for `bare` and `idle` (play uses the URL the matchmaker returns). */
  path?: string;
  /** Inputs per second per bot when the server does not say (bare mode). */
  tickRate?: number;
  /** Fully decode one in this many snapshot (and other) frames; 0 never. Default 16. */
  decodeEvery?: number;
  /** Sign-ups and connects in flight at once. Default 64. */
  connectConcurrency?: number;
  /** Phase groups per tick. Default 4. */
  slots?: number;
  /** Idle mode only: sign in and offer the JWT (default), or connect with the subprotocol alone (the bare baseline has no auth). */
  auth?: boolean;
  seed?: number;
  /** Default single30. */
  upstream?: UpstreamMode;
  /** Time input → ack on one bot in this many (play mode; it decodes all their snapshots); 0 never. Default 8. */
  ackSampleEvery?: number;
}

/** Every option set: the caller's, or its default. */
export type ResolvedSwarmOptions = Required<Omit<SwarmOptions, 'path'>> & { path: string };

export function resolveSwarmOptions(options: SwarmOptions): ResolvedSwarmOptions {
  return {
    tickRate: 30,
    decodeEvery: 16,
    connectConcurrency: 64,
    slots: 4,
    seed: 1,
    auth: true,
    upstream: 'single30',
    ackSampleEvery: 8,
    ...options,
    // After the spread: a CLI that passes `path: undefined` still gets the default.
    path: options.path ?? (options.mode === 'idle' ? '/lobby' : '/play'),
  } as ResolvedSwarmOptions;
}
