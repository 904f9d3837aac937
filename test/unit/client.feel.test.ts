/**
 * The client's feel pieces that need no browser: settings (validation, persistence), the
 * sound board (silent before a user gesture, volume and mute), the death banner's
 * countdown, ping colours and the lobby's time-left text.
 */
import { describe, expect, it } from 'vitest';
import { EventKind, Phase } from '../../protocol/index.js';
import { SoundCues } from '../../game-client/audio/soundCues.js';
import { SoundBoard, type AudioContextLike } from '../../game-client/audio/sounds.js';
import { DEFAULT_SETTINGS, normalizeSettings, SettingsStore, STORAGE_KEY } from '../../game-client/settings/settings.js';
import { deathBanner, pingQuality } from '../../game-client/ui/hud.js';
import { timeLeftText } from '../../game-client/ui/lobbyMatchList.js';

function memoryStorage(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

describe('settings', () => {
  it('bad or missing fields fall back to defaults; duplicate key bindings are refused', () => {
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ volume: 3, muted: 'yes', quality: 'ultra', showNetGraph: 1 })).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ volume: 0.25 }).volume).toBe(0.25);
    expect(normalizeSettings({ keys: { up: 'KeyZ' } }).keys).toEqual({ ...DEFAULT_SETTINGS.keys, up: 'KeyZ' });
    expect(normalizeSettings({ keys: { up: 'Tab' } }).keys.up).toBe('KeyW');
    expect(normalizeSettings({ keys: { up: 'KeyA' } }).keys).toEqual(DEFAULT_SETTINGS.keys); // would clash with left
  });

  it('saves every change and loads it back (a reload); a corrupt entry loads defaults', () => {
    const storage = memoryStorage();
    const a = new SettingsStore(storage);
    const seen: number[] = [];
    a.onChange((s) => seen.push(s.volume));
    a.update({ volume: 0.3, muted: true, keys: { ...a.value.keys, up: 'KeyZ' }, showNetGraph: true, quality: 'low' });
    expect(seen).toEqual([0.3]);
    const b = new SettingsStore(storage);
    expect(b.value).toEqual({ volume: 0.3, muted: true, keys: { up: 'KeyZ', down: 'KeyS', left: 'KeyA', right: 'KeyD' }, showNetGraph: true, quality: 'low' });
    expect(new SettingsStore(memoryStorage({ [STORAGE_KEY]: '{not json' })).value).toEqual(DEFAULT_SETTINGS);
    expect(new SettingsStore(null).value).toEqual(DEFAULT_SETTINGS);
  });
});

/** A stand-in AudioContext that records what is started. */
function fakeAudio() {
  const started: Array<{ type: string; at: number }> = [];
  const param = () => ({ setValueAtTime() {}, exponentialRampToValueAtTime() {} });
  let gainValue = -1;
  const ctx = {
    currentTime: 0,
    destination: {} as AudioNode,
    state: 'running',
    resumed: 0,
    createGain() {
      return {
        gain: { ...param(), setValueAtTime: (v: number) => void (gainValue = v), exponentialRampToValueAtTime() {} },
        connect() {},
        disconnect() {},
      } as unknown as GainNode;
    },
    createOscillator() {
      const o = {
        type: 'sine',
        frequency: param(),
        connect() {},
        onended: null as null | (() => void),
        start(at: number) {
          started.push({ type: o.type, at });
        },
        stop() {},
      };
      return o as unknown as OscillatorNode;
    },
    async resume() {
      ctx.resumed++;
    },
  };
  return { ctx: ctx as AudioContextLike & { resumed: number }, started, gain: () => gainValue };
}

describe('sound board', () => {
  it('plays nothing and creates no AudioContext before a user gesture', () => {
    let created = 0;
    const f = fakeAudio();
    const board = new SoundBoard(() => {
      created++;
      return f.ctx;
    });
    board.play('shot');
    board.play('matchEnd');
    expect(created).toBe(0);
    expect(f.started).toHaveLength(0);
    board.unlock();
    board.unlock();
    expect(created).toBe(1);
    board.play('shot');
    board.play('matchEnd');
    expect(f.started.map((s) => s.type)).toEqual(['square', 'triangle', 'triangle', 'triangle']);
    expect(board.played).toEqual({ shot: 1, matchEnd: 1 });
  });

  it('volume sets the master gain; mute silences and starts nothing', () => {
    const f = fakeAudio();
    const board = new SoundBoard(() => f.ctx);
    board.setVolume(0.4, false);
    board.unlock();
    expect(f.gain()).toBe(0.4);
    board.setVolume(0.4, true);
    expect(f.gain()).toBe(0);
    board.play('hit');
    expect(f.started).toHaveLength(0);
    board.setVolume(2, false);
    expect(board.gain).toBe(1);
  });

  it('caps simultaneous voices', () => {
    const f = fakeAudio();
    const board = new SoundBoard(() => f.ctx);
    board.unlock();
    for (let i = 0; i < 50; i++) board.play('death');
    expect(f.started.length).toBe(12);
  });

  it('a browser without Web Audio stays silent without errors', () => {
    const board = new SoundBoard(() => null);
    board.unlock();
    board.play('shot');
    expect(board.unlocked).toBe(false);
  });
});

describe('HUD texts', () => {
  it('names the killer and counts down to the respawn in whole seconds', () => {
    expect(deathBanner({ killer: 'Bot Ada', respawnAt: 3000 }, 0)).toBe('Eliminated by Bot Ada: respawning in 3');
    expect(deathBanner({ killer: 'Bot Ada', respawnAt: 3000 }, 2100)).toBe('Eliminated by Bot Ada: respawning in 1');
    expect(deathBanner({ killer: 'Bot Ada', respawnAt: 3000 }, 3500)).toBe('Eliminated by Bot Ada: respawning in 1');
    expect(deathBanner({ killer: 'Zed', respawnAt: null }, 0)).toBe('Eliminated by Zed: respawning…');
  });

  it('colours the ping by quality', () => {
    expect(pingQuality(NaN)).toBe('unknown');
    expect(pingQuality(0)).toBe('unknown');
    expect(pingQuality(40)).toBe('good');
    expect(pingQuality(80)).toBe('fair');
    expect(pingQuality(150)).toBe('poor');
  });

  it('lobby time left: counts down while playing, "full match" before, "–" after', () => {
    const m = { id: 'm', mode: 'arena', players: 1, bots: 0, max: 8, spectators: 0 };
    expect(timeLeftText({ ...m, phase: 'playing', endsAt: 400_000 }, 148_000)).toBe('4:12');
    expect(timeLeftText({ ...m, phase: 'playing', endsAt: 100_000 }, 70_000)).toBe('0:30');
    expect(timeLeftText({ ...m, phase: 'playing', endsAt: 100_000 }, 200_000)).toBe('0:00');
    expect(timeLeftText({ ...m, phase: 'waiting', endsAt: 0 }, 0)).toBe('full match');
    expect(timeLeftText({ ...m, phase: 'ended', endsAt: 0 }, 0)).toBe('–');
    expect(timeLeftText({ ...m, phase: 'playing' }, 0)).toBe('–');
  });
});

describe('sound cues', () => {
  const frame = (o: Partial<{ projectiles: Array<{ key: string; predicted: boolean }>; events: number[][]; phase: Phase; secondsLeft: number }>) => ({
    projectiles: (o.projectiles ?? []).map((p) => ({ ...p, x: 0, y: 0, angle: 0, owner: 1 })),
    events: o.events ?? [],
    phase: o.phase ?? Phase.Playing,
    secondsLeft: o.secondsLeft ?? 100,
  });

  it('the own shot sounds once, when its predicted projectile appears', () => {
    const c = new SoundCues();
    expect(c.cues(frame({ projectiles: [{ key: 'p1', predicted: true }] }), 1)).toEqual(['shot']);
    expect(c.cues(frame({ projectiles: [{ key: 'p1', predicted: true }, { key: 's9', predicted: false }] }), 1)).toEqual([]);
    expect(c.cues(frame({ projectiles: [{ key: 'p1', predicted: true }, { key: 'p2', predicted: true }] }), 1)).toEqual(['shot']);
  });

  it('hits, being hit and deaths involving the player; nothing for a spectator', () => {
    const c = new SoundCues();
    const events = [
      [EventKind.Hit, 1, 2, 25],
      [EventKind.Hit, 3, 1, 25],
      [EventKind.Hit, 3, 2, 25],
      [EventKind.Kill, 3, 1],
      [EventKind.Kill, 3, 2],
    ];
    expect(c.cues(frame({ events }), 1)).toEqual(['hit', 'hurt', 'death']);
    expect(new SoundCues().cues(frame({ events }), 0)).toEqual([]);
  });

  it('beeps on the last three countdown seconds, then go, then the match-end jingle', () => {
    const c = new SoundCues();
    const heard: string[] = [];
    for (const s of [5, 4.5, 3.9, 3.0, 2.5, 1.2, 0.4]) heard.push(...c.cues(frame({ phase: Phase.Countdown, secondsLeft: s }), 1));
    heard.push(...c.cues(frame({ phase: Phase.Playing }), 1));
    heard.push(...c.cues(frame({ phase: Phase.Playing }), 1));
    heard.push(...c.cues(frame({ phase: Phase.Ended }), 1));
    expect(heard).toEqual(['countdown', 'countdown', 'countdown', 'go', 'matchEnd']);
  });
});
