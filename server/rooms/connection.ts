/**
 * What a room knows about a socket. Transport implements it over uWS; rooms never touch
 * uWS directly, so rooms are testable with fakes and a player can outlive its socket.
 */
export interface Connection {
  readonly closed: boolean;
  send(frame: Uint8Array, kind: string): void;
  /** Bytes queued for this socket and not yet written to the kernel. */
  bufferedAmount(): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  close(code: number, reason: string): void;
  /**
   * Drops the socket without a close frame, as a dead network would (the peer sees 1006).
   * Operators and tests use it to exercise the client's reconnection; rooms never need it.
   */
  terminate(): void;
}

/** Fan-out of one encoded frame to every connection subscribed to a topic. */
export interface Broadcaster {
  publish(topic: string, frame: Uint8Array, kind: string, subscribers: number): void;
}
