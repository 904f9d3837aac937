/**
 * `npm run probe`: the attack suite the project keeps. Starts a real server process, keeps a
 * reading bystander player in a match, runs every attack in probe/attacks.ts, and prints one
 * table: what each attack sent, how the server closed it (by code), what was wrongly
 * accepted; then the bystander's worst snapshots per second and the server's RSS before and
 * after. Exit 1 when the server crashed, any attack was accepted, the bystander dropped
 * below 12 snapshots/s (15 is the default rate), or RSS grew more than RSS_BOUND_MB.
 */
import WebSocket from 'ws';
import { ClientType, decodeServer, encodeClient, ServerType, SUBPROTOCOL } from '../protocol/index.js';
import { authAttacks, framingAttacks, ghostSeatFlood, guestFrom, hostileFrames, matchmakeAs, slowConsumers, type AttackResult } from './attacks.js';
import { startTarget } from './target.js';

const MIN_SNAPSHOTS_PER_SECOND = 12;
/** Server RSS growth allowed over the whole run: sockets and matches it legitimately holds. */
const RSS_BOUND_MB = 96;
const quick = process.argv.includes('--quick');

async function main(): Promise<number> {
  const t = await startTarget();
  const failures: string[] = [];
  const results: AttackResult[] = [];
  let bystander: WebSocket | null = null;
  let sampler: NodeJS.Timeout | null = null;
  let pinger: NodeJS.Timeout | null = null;
  const stalled: Array<{ kill(): void }> = [];
  try {
    const rssBefore = await t.rss();
    // The bystander: a normal player who reads everything, counted per one-second window.
    const g = await guestFrom(t, 'Bystander', '10.9.9.9');
    const mm = await matchmakeAs(t, g.token!);
    bystander = new WebSocket(`${mm.url}?ticket=${encodeURIComponent(mm.ticket!)}`, [SUBPROTOCOL], { headers: { authorization: `Bearer ${g.token}` } });
    let snapshots = 0;
    let bystanderClosed: number | null = null;
    bystander.on('message', (d: Buffer) => {
      const m = decodeServer(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      if (m.ok && m.value.type === ServerType.Snapshot) snapshots++;
    });
    bystander.on('close', (code) => (bystanderClosed = code));
    await new Promise((r) => bystander!.once('open', r));
    // Like a real client it keeps talking (play sockets silent for the idle timeout are closed).
    pinger = setInterval(() => bystander!.send(encodeClient({ type: ClientType.Ping, t: performance.now() })), 500);
    const windows: number[] = [];
    sampler = setInterval(() => {
      windows.push(snapshots);
      snapshots = 0;
    }, 1000);
    await new Promise((r) => setTimeout(r, 2000)); // warm-up windows are dropped below

    results.push(await hostileFrames(t, quick ? 1 : 3));
    results.push(await framingAttacks(t));
    results.push(await authAttacks(t));
    results.push(await ghostSeatFlood(t, quick ? 3000 : 10_000, 30));
    const slow = await slowConsumers(t, quick ? 6 : 20, quick ? 8000 : 30_000);
    stalled.push(...slow.stalled);
    results.push(slow);

    clearInterval(sampler);
    sampler = null;
    const rssAfter = await t.rss();
    const measured = windows.slice(2);
    const minRate = measured.length ? Math.min(...measured) : 0;

    const rows = results.map((r) => [
      r.name,
      String(r.sent),
      [...r.closes].sort().map(([c, n]) => `${c}×${n}`).join(' ') || '–',
      String(r.accepted),
      r.note,
    ]);
    printTable(['attack', 'sent', 'closed / refused by code', 'accepted', 'note'], rows);
    const growth = (rssAfter - rssBefore) / 1e6;
    console.log(`\nbystander: min ${minRate} snapshots/s over ${measured.length} one-second windows (must be ≥ ${MIN_SNAPSHOTS_PER_SECOND})${bystanderClosed !== null ? `; CLOSED ${bystanderClosed}` : ''}`);
    console.log(`server RSS: ${(rssBefore / 1e6).toFixed(1)} MB before, ${(rssAfter / 1e6).toFixed(1)} MB after (+${growth.toFixed(1)} MB, bound ${RSS_BOUND_MB} MB)`);

    for (const r of results) if (r.accepted > 0) failures.push(`${r.name}: ${r.accepted} accepted`);
    if (minRate < MIN_SNAPSHOTS_PER_SECOND) failures.push(`bystander fell to ${minRate} snapshots/s`);
    if (bystanderClosed !== null) failures.push(`bystander was disconnected (${bystanderClosed})`);
    if (growth > RSS_BOUND_MB) failures.push(`RSS grew ${growth.toFixed(1)} MB`);
  } catch (e) {
    failures.push(`probe error: ${(e as Error).message}`);
  } finally {
    if (sampler) clearInterval(sampler);
    if (pinger) clearInterval(pinger);
    for (const s of stalled) s.kill();
    bystander?.terminate();
    if (t.child.exitCode !== null || t.child.signalCode !== null) failures.push(`server crashed (exit ${t.child.exitCode ?? t.child.signalCode})`);
    await t.stop();
  }
  if (failures.length) {
    console.log(`\nFAIL\n- ${failures.join('\n- ')}`);
    return 1;
  }
  console.log('\nPASS: no crash, no accepted attack, bystander undisturbed, memory bounded');
  return 0;
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

main().then((code) => process.exit(code));
