/**
 * Tag's browser client on `tickwire/client`: guest sign-in and quick play (ApiClient),
 * one reconnecting connection (connectToMatch), the snapshot chain, clock sync and the
 * interpolation buffer (MatchFeed), and prediction of the own player with the same
 * movement rule the server runs (Predictor + movePlayer). Pixi draws it (tagScene.ts).
 *
 * `window.__tag` exposes what the e2e test reads (phase, who is "it", the own position).
 */
import { ApiClient, MatchFeed, Predictor, connectToMatch } from 'tickwire/client';
import { ClientType, Phase, ServerType, dequantizePosition, movePlayer, phaseNames, type MapGeometry, type SnapshotState, type Vec2 } from 'tickwire/protocol';
import { TagEvent, TagFlags, TagWire } from '../shared/tagWire.js';
import { Keyboard } from './keyboard.js';
import { TagScene, type PlayerDraw } from './tagScene.js';

const Players = TagWire.tables.players;
const $ = (id: string) => document.getElementById(id)!;

interface TagHook {
  screen: 'menu' | 'game';
  playerId: number;
  phase: string;
  it: number;
  tags: number;
  frames: number;
  self(): Vec2 | null;
}
declare global {
  interface Window {
    __tag: TagHook;
  }
}

const hook: TagHook = { screen: 'menu', playerId: 0, phase: 'waiting', it: 0, tags: 0, frames: 0, self: () => null };
window.__tag = hook;

/** Names by player id: the roster message is generic, so the client keeps it itself. */
const names = new Map<number, string>();

async function play(name: string): Promise<void> {
  const api = new ApiClient();
  const guest = await api.guest(name);
  const ticket = await api.quickPlay(guest.token, 'tag');
  const connection = connectToMatch({ api, ticket, token: guest.token });
  const feed = new MatchFeed(connection, { schema: TagWire.schema });
  const scene = new TagScene();
  const keyboard = new Keyboard(window);
  let map: MapGeometry | null = null;
  let tickSeconds = 1 / 30;
  const predictor = new Predictor<number, Vec2>({ step: (pos, buttons) => movePlayer(pos, buttons, tickSeconds, map!) });
  let seq = 0;
  let lastInputAt = 0;

  connection.on('message', (m) => {
    if (m.type === ServerType.Roster) for (const p of m.players) names.set(p.id, p.name);
  });
  feed.on('welcome', ({ config, playerId }) => {
    map = config.map;
    tickSeconds = 1 / config.tickRate;
    hook.playerId = playerId;
    predictor.reset();
    scene.setMap(config.map);
  });
  feed.on('snapshot', ({ state, ack, events }) => {
    const header = TagWire.readHeader(state);
    hook.phase = phaseNames[header.phase] ?? 'waiting';
    hook.it = header.it;
    for (const t of events) for (const e of t.events) if (e[0] === TagEvent.Tagged) hook.tags++;
    const me = ownRow(state, feed.playerId);
    if (me) predictor.reconcile({ x: dequantizePosition(me.x), y: dequantizePosition(me.y) }, ack, movable(header.phase, me.flags));
  });
  let running = true;
  connection.on('close', (c) => {
    running = false;
    feed.dispose();
    showError(c.message);
  });

  $('menu').style.display = 'none';
  $('game').style.display = 'block';
  hook.screen = 'game';
  await scene.init($('game'));
  connection.connect();
  hook.self = () => predictor.position;

  let lastFrameAt = performance.now();
  const frame = (now: number) => {
    if (!running) return;
    feed.update(now);
    const state = feed.state;
    // Inputs at the tick rate; prediction applies each one the moment it is sent.
    if (state && now - lastInputAt >= tickSeconds * 1000) {
      lastInputAt = now;
      const buttons = keyboard.buttons();
      const me = ownRow(state, feed.playerId);
      seq++;
      connection.send({ type: ClientType.Input, seq, buttons, aim: 0, ackTick: state.tick });
      predictor.applyInput(seq, buttons, me !== undefined && movable(TagWire.readHeader(state).phase, me.flags));
    }
    predictor.decay(now - lastFrameAt);
    lastFrameAt = now;
    render(scene, feed, predictor, (now - lastInputAt) / (tickSeconds * 1000));
    hud(state, tickSeconds);
    hook.frames = scene.frames;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

function ownRow(state: SnapshotState, id: number) {
  const row = state.tables[Players.index].rows.get(id);
  return row ? { x: row[Players.fields.x], y: row[Players.fields.y], flags: row[Players.fields.flags] } : undefined;
}

/** Whether the server will move this player for an input now (the rule in tagRules.ts). */
function movable(phase: number, flags: number): boolean {
  return phase !== Phase.Ended && (flags & TagFlags.Frozen) === 0;
}

/** Others between the two snapshots around the render time; the own player predicted. */
function render(scene: TagScene, feed: MatchFeed, predictor: Predictor<number, Vec2>, fraction: number): void {
  const s = feed.sample();
  const state = feed.state;
  if (!state) return;
  const it = TagWire.readHeader(state).it;
  const draws: PlayerDraw[] = [];
  for (const p of Players.read(state)) {
    const self = p.id === feed.playerId;
    let x = dequantizePosition(p.x);
    let y = dequantizePosition(p.y);
    if (self) {
      const r = predictor.renderPosition(fraction);
      if (r) ({ x, y } = r);
    } else if (s) {
      const a = s.from.state.tables[Players.index].rows.get(p.id);
      const b = s.to.state.tables[Players.index].rows.get(p.id);
      if (a && b) {
        const t = Math.min(s.alpha, 1);
        x = dequantizePosition(a[Players.fields.x] + (b[Players.fields.x] - a[Players.fields.x]) * t);
        y = dequantizePosition(a[Players.fields.y] + (b[Players.fields.y] - a[Players.fields.y]) * t);
      }
    }
    draws.push({ id: p.id, name: names.get(p.id) ?? `#${p.id}`, x, y, it: p.id === it, frozen: (p.flags & TagFlags.Frozen) !== 0, self });
  }
  scene.render(draws);
}

function hud(state: SnapshotState | null, tickSeconds: number): void {
  if (!state) return;
  const h = TagWire.readHeader(state);
  const me = Players.read(state).find((p) => p.id === hook.playerId);
  $('phase').textContent = `${phaseNames[h.phase] ?? ''} ${Math.ceil(h.ticksLeft * tickSeconds)}s`;
  $('status').textContent = h.it === hook.playerId ? 'You are IT — touch someone!' : h.it ? 'Run!' : '';
  $('score').textContent = me ? `${me.score} points` : '';
}

function showError(message: string): void {
  $('menu').style.display = 'flex';
  $('game').style.display = 'none';
  hook.screen = 'menu';
  $('error').textContent = message;
}

$('play').addEventListener('click', () => {
  const name = ($('name') as HTMLInputElement).value.trim() || 'player';
  play(name).catch((e: Error) => showError(e.message));
});
