/**
 * `tickwire/client`: the network half of a Tickwire game client, without a renderer. Runs in
 * a page (with any renderer) and in Node (bots, tests, tools).
 *
 *   ApiClient        guest sign-in, quick play, resume, private matches (REST, plain fetch)
 *   Connection       the one reconnecting connection state machine: backoff with jitter, seat
 *                    resume, link health; events connect, message, disconnect, reconnecting,
 *                    reconnected, close, error, link, attemptFailed
 *   connectToMatch   a Connection for a quick-play/join ticket, resuming through the ApiClient
 *   LobbyConnection  the /lobby stream (online count, live match list, chat, notifications)
 *                    on the same Connection
 *   MatchFeed        welcome, snapshot chain (with the game's schema), acks, clock sync, and
 *                    the interpolation buffer to draw remote entities from
 *   ClockSync, InterpolationBuffer, Predictor (takes the game's own `step(state, input)`)
 *
 * Where a transport plugs in: every socket is opened by the `createSocket(url, protocols)`
 * option (a `SocketFactory`, socket.ts) of Connection / connectToMatch / LobbyConnection,
 * once per attempt; it returns any WebSocket-shaped object (binaryType, readyState,
 * bufferedAmount, send, close, onopen/onmessage/onclose/onerror). The default is the global
 * WebSocket (browsers, Node 22+); on Node 20 pass `socketFactoryOf(WebSocket)` with `ws`.
 * A transport policy (e.g. falling back to long-polling after failed WebSocket attempts)
 * is a stateful factory that listens to the connection's `attemptFailed` event.
 *
 * Nothing here imports a renderer, the DOM (browser-only pieces check for it), or a game.
 */
export { ApiClient, ApiError, type FetchFn, type GuestSession, type InviteResult, type MatchTicket } from './api.js';
export { backoffDelay, nominalDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { PLAY_FINAL_CODES, STREAM_FINAL_CODES } from './closeCodes.js';
export { ClockSync, type ClockSample, type ClockSyncOptions } from './clockSync.js';
export { Connection, type CloseInfo, type ConnectionEvents, type ConnectionOptions, type ConnectionState, type Endpoint } from './connection.js';
export { Emitter, type Listener } from './emitter.js';
export { InterpolationBuffer, type BufferEntry, type InterpolationOptions, type Sample, type SampleMode } from './interpolationBuffer.js';
export { parseLagOptions, type LagOptions } from './lagOptions.js';
export { DEFAULT_LINK_HEALTH, LinkHealth, type LinkHealthOptions, type LinkState } from './linkHealth.js';
export { LobbyConnection, type LobbyConnectionOptions, type LobbyEvents, type LobbyNotification } from './lobbyConnection.js';
export { MatchFeed, type MatchFeedEvents, type MatchFeedOptions } from './matchFeed.js';
export { connectToMatch, type MatchConnectionOptions } from './matchConnection.js';
export { MatchListState } from './matchListState.js';
export { Predictor, type PredictionOptions, type PredictionStats, type ReconcileResult, type Vec2 } from './prediction.js';
export { emitSocial, type SocialEvents } from './socialMessages.js';
export { defaultSocketFactory, socketFactoryOf, tickwireProtocols, toBytes, SOCKET_OPEN, type SocketFactory, type WebSocketCtor, type WebSocketLike } from './socket.js';
export { median, quantile, RateMeter, Window } from './stats.js';
export { realTimers, type TimerId, type Timers } from './timers.js';
export { WorkerSocket, workerSocketFactory } from './transport/workerSocket.js';
export { PollingSocket, pollingSocketFactory, pollEndpoint, type PollingSocketOptions } from './transport/pollingSocket.js';
export { TransportPolicy, type TransportName, type TransportPolicyOptions } from './transport/transportPolicy.js';
