/**
 * One feature of a server process (lobby, play, admin…): created in order by
 * server/app.ts from the shared Core and what earlier features returned, and stopped in
 * reverse order on close.
 */
export interface Feature {
  stop?(): void | Promise<void>;
}
