/**
 * `tickwire/testing`: test a game mode against a real server, the way `@colyseus/testing`
 * does for Colyseus. `boot()` starts a server on a free port with your modes; `join()`
 * signs a guest in, matchmakes and connects a Node PlayClient that rebuilds snapshots;
 * `ManualClock` drives rooms without sleeping. Needs the `ws` package (a dependency).
 */
export { boot, startTestServer, ROOMY_LIMITS, TEST_SECRET, type BootOptions, type BootedServer, type JoinedPlayer, type TestServer } from './bootServer.js';
export { PlayClient, type Closed, type PlayClientOptions } from './playClient.js';
export { Conditions } from './conditions.js';
export { guest, matchmake, postJson, type Guest, type Seat } from './http.js';
export { ManualClock } from '../server/clock.js';
