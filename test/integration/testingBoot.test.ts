/**
 * tickwire/testing's boot(): a server with only the modes passed, players joined with the
 * mode's schema, and close() ending every client and the server (idempotent), so a
 * failed test leaves nothing behind.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ServerType } from '../../protocol/index.js';
import { boot } from '../../testing/index.js';
import { tagMode } from '../../examples/tag/server/tagMode.js';
import { TagWire } from '../../examples/tag/shared/tagWire.js';

describe('tickwire/testing boot()', () => {
  it('hosts the given modes, joins with their schema and closes everything it opened', async () => {
    const t = await boot({ modes: { tag: tagMode } });
    try {
      expect([...t.server.modes.keys()]).toEqual(['tag']);
      const { client, seat } = await t.join('ann', 'tag');
      await client.waitFor(() => client.snapshot, 'a snapshot');
      // Rebuilt with tag's one-table schema (the arena's default would fail to apply).
      expect(client.snapshot!.tables).toHaveLength(TagWire.schema.length);
      expect(client.decodeErrors).toEqual([]);
      expect(client.snapshotsReceived).toBe(client.of(ServerType.Snapshot).length);
      expect(seat.matchId).toBe(client.welcome!.matchId);
      // The default mode is the first one registered.
      const g = await t.guest('bob');
      expect((await t.matchmake(g.token)).matchId).toBe(seat.matchId);
      await t.close();
      expect(client.closed).not.toBeNull();
      // The port no longer accepts connections (a fresh TCP connect, not fetch's kept-alive one).
      const refused = await new Promise<string>((resolve) => {
        const sock = connect(t.server.port, '127.0.0.1');
        sock.once('connect', () => (sock.destroy(), resolve('connected')));
        sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    } finally {
      await t.close(); // a second close is a no-op
    }
  });
});
