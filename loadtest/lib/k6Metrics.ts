/**
 * The custom k6 metrics every Tickwire scenario reports. Names start with `tw_` so they sort
 * together and never clash with k6's built-ins. Per-tick counts (inputs, bytes) are summed
 * locally and flushed once a second: a sample per input would cost k6 more CPU than the
 * player it simulates.
 */
import { Counter, Rate, Trend } from 'k6/metrics';

export const metrics = {
  /** POST /api/auth/guest duration. */
  authMs: new Trend('tw_auth_ms', true),
  /** POST /api/matchmake duration. */
  matchmakeMs: new Trend('tw_matchmake_ms', true),
  /** WebSocket constructor → open (upgrade including token and ticket checks). */
  connectMs: new Trend('tw_connect_ms', true),
  /** Ping sent → pong received. */
  rttMs: new Trend('tw_rtt_ms', true),
  /** Input sent → first snapshot whose lastSeq for this player includes it. */
  inputAckMs: new Trend('tw_input_ack_ms', true),
  /** |snapshot inter-arrival − nominal snapshot interval|. */
  jitterMs: new Trend('tw_snapshot_jitter_ms', true),
  /** Size of each snapshot frame (delta or keyframe). */
  snapshotBytes: new Trend('tw_snapshot_bytes'),
  /** Welcomes received: sessions that got into a match (joins and resumes). */
  sessions: new Counter('tw_sessions'),
  /** Welcomes that put the player back on the seat it had before (spike's reconnect). */
  resumes: new Counter('tw_resumes'),
  /** Sessions that never got a welcome (auth, matchmake or upgrade failed): 1, else 0. */
  sessionFailed: new Rate('tw_session_failed'),
  inputsSent: new Counter('tw_inputs_sent'),
  snapshots: new Counter('tw_snapshots'),
  bytesDown: new Counter('tw_bytes_down'),
  bytesUp: new Counter('tw_bytes_up'),
  /** Seconds sockets were open in a match: the denominator of bytes per player-second. */
  playSeconds: new Counter('tw_play_seconds'),
  /** Frames the real codec refused, and snapshot deltas that did not apply. */
  decodeErrors: new Counter('tw_decode_errors'),
  /** Closes we did not ask for and that are not a normal match end, tagged `code`. */
  unexpectedCloses: new Counter('tw_unexpected_closes'),
};
