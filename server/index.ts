/**
 * `tickwire`: the server as a library. Host YOUR game: write a mode with `defineMode`,
 * register it with `createServer({ modes: { mygame: myMode } })`, `listen()`. Everything
 * exported here is the public surface; anything else under server/ is internal and may
 * change without notice.
 *
 *   import { createServer, defineMode } from 'tickwire';
 *   const server = createServer({ modes: { tag: tagMode }, tickRate: 30 });
 *   await server.listen(8080);
 */

// The server: options are the CLI's table keyed by ServerConfig field (docs/hosting.md).
export { createServer, type AuthHooks, type ListenResult, type ServerOptions, type ServerSettings, type TickwireServer } from './createServer.js';
export { ConfigError, defaultConfig, type ServerConfig } from './config.js';
export type { DrainReport } from './drain.js';
export { HostNotLocalError, PortInUseError } from './listen.js';
export type { AbuseLimits } from './limits/abuseLimits.js';
export type { RateLimit } from './limits/keyedRateLimiter.js';
export type { RequestLimits } from './http/requestLimits.js';

// Game modes: the pure simulation contract and how modes are registered.
export { defineMode, type GameMode, type GameModeOptions, type MatchSettingsResult, type PhaseInfo, type PlayerInput } from './rooms/gameMode.js';
export type { ModeEntry, ModeRegistration, RegisteredMode } from './modes/modeRegistry.js';
export type { ModeOptionSpec, ModePlugin, OptionKind } from './modes/modePlugin.js';

// Rooms, seats and the hooks a host can attach (logging, analytics, persistence).
export type { Room, RoomHooks } from './rooms/room.js';
export type { Seat, SeatStatus } from './rooms/seat.js';
export type { RoomManager } from './rooms/roomManager.js';

// Shared state and pub/sub across processes.
export type { Delivered, Presence, PresenceChannel, PresenceChannels, PresenceHandler } from './presence/presence.js';
export { LocalPresence } from './presence/localPresence.js';
export { RedisPresence } from './presence/redis/redisPresence.js';
export { RedisConnection, RedisUnavailableError, type RedisConnectionOptions } from './presence/redis/redisConnection.js';

// Time as a dependency: tests drive rooms with a ManualClock instead of sleeping.
export { ManualClock, systemClock, type Clock, type TimerHandle } from './clock.js';

// Auth: verify your own issuer's tokens (AuthHooks.verifyPlayer) or use the built-in JWT modes.
export { mintAdminToken, type AuthUser, type PlayerTokenVerifier, type VerifyResult } from './auth/tokens.js';

// Observability: `server.metrics.registry` is the prom-client Registry behind /metrics.
export type { Metrics } from './observability/metrics.js';
export { createLogger, type Logger } from './observability/logger.js';

// Wire-level constants a host's tooling needs (the full protocol is `tickwire/protocol`).
export { CloseCode, closeMessage, Phase, phaseNames } from '../protocol/index.js';
