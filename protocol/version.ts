/** Wire protocol version. Bump on any incompatible change to messages.ts or snapshot.ts. */
// v2: events ride in snapshot frames (v1 sent them in an Events frame of their own).
export const PROTOCOL_VERSION = 2;
/** WebSocket subprotocol a client must offer at the upgrade. */
export const SUBPROTOCOL = `tickwire.v${PROTOCOL_VERSION}`;
/** Prefix of the optional subprotocol entry that carries a JWT (browsers cannot set headers). */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';
