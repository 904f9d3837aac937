/**
 * How a match feels, beside the netcode and the renderer: sound, hit feedback, the
 * minimap, in-match chat, touch sticks and the settings (panel + what each setting
 * changes). App creates one, mounts it on the game screen and calls `frame` once per
 * rendered frame; everything here reads the frame view and the session, and only touches
 * input through the shared InputState.
 */
import { ClientType, EventKind, type MatchConfig } from '../protocol/index.js';
import type { Connection } from '../client/index.js';
import type { GameSession } from './netcode/session.js';
import type { FrameView } from './netcode/views.js';
import type { KeyboardMouse } from './input/keyboardMouse.js';
import { TouchSticks } from './input/touchSticks.js';
import { SoundCues } from './audio/soundCues.js';
import { SoundBoard } from './audio/sounds.js';
import { SettingsStore, type Settings } from './settings/settings.js';
import { h } from './ui/dom.js';
import { HitFeedback } from './ui/hitFeedback.js';
import type { Hud } from './ui/hud.js';
import { MatchChat } from './ui/matchChat.js';
import { Minimap } from './ui/minimap.js';
import type { NetGraph } from './ui/netGraph.js';
import { SettingsPanel } from './ui/settingsPanel.js';

export interface FeelDeps {
  gameRoot: HTMLElement;
  canvasHost: HTMLElement;
  hud: Hud;
  input: KeyboardMouse;
  netGraph: NetGraph;
  /** The menu screen, for its *Settings* button. */
  menuRoot: HTMLElement;
}

export class MatchFeel {
  readonly settings = new SettingsStore();
  readonly sound = new SoundBoard();
  readonly settingsPanel: SettingsPanel;
  readonly feedback: HitFeedback;
  readonly minimap = new Minimap();
  readonly chat: MatchChat;
  readonly touch: TouchSticks;
  private connection: Connection | null = null;
  private respawnSeconds: number | undefined;
  private readonly cues = new SoundCues();
  /** Own Fire events seen (the server confirmed a shot): tests and the curious. */
  private shotsFired = 0;
  /** The game screen is showing and the player (not a spectator) is seated. */
  private playing = false;

  constructor(private readonly d: FeelDeps) {
    this.settingsPanel = new SettingsPanel(this.settings);
    this.feedback = new HitFeedback(d.canvasHost);
    this.chat = new MatchChat((text) => this.connection?.send({ type: ClientType.Chat, text }) ?? false);
    const stick = (id: string) => h('div', { id, class: 'stick' }, h('div', { class: 'stick-knob' }));
    const move = stick('stick-move');
    const aim = stick('stick-aim');
    this.touch = new TouchSticks(d.canvasHost, d.input.state, { move, aim, onActive: () => d.gameRoot.classList.add('touch') });

    const gear = h('button', { id: 'settings-button', type: 'button', class: 'small hud-button', title: 'Settings', 'aria-label': 'Settings', text: '⚙' });
    gear.addEventListener('click', () => this.settingsPanel.setOpen(true));
    d.hud.topRight.append(gear);
    d.hud.side.prepend(this.minimap.root);
    d.gameRoot.append(this.feedback.root, h('div', { class: 'sticks' }, move, aim));
    d.hud.bottom.prepend(this.chat.root);
    const menuButton = h('button', { id: 'menu-settings', type: 'button', class: 'small menu-settings', text: '⚙ Settings' });
    menuButton.addEventListener('click', () => this.settingsPanel.setOpen(true));
    (d.menuRoot.querySelector('#play-card') ?? d.menuRoot).append(menuButton);
    document.body.append(this.settingsPanel.root);

    // Audio starts only from a user gesture (browsers require it; players expect it).
    const unlock = () => this.sound.unlock();
    for (const type of ['pointerdown', 'keydown', 'touchend'] as const) window.addEventListener(type, unlock, { capture: true });
    window.addEventListener('keydown', (e) => {
      if (!this.playing || this.chat.typing || this.settingsPanel.open || e.code !== 'Enter') return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'BUTTON')) return;
      e.preventDefault();
      d.input.releaseAll();
      this.chat.openField();
    });
    this.settings.onChange((s) => this.apply(s));
    this.apply(this.settings.value);
  }

  /** Settings the rest of the page reads (the scene's quality at creation). */
  get quality(): Settings['quality'] {
    return this.settings.value.quality;
  }

  private apply(s: Settings): void {
    this.sound.setVolume(s.volume, s.muted);
    this.d.input.setBindings(s.keys);
    this.d.netGraph.root.hidden = !s.showNetGraph;
    const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.feedback.shakeEnabled = s.quality === 'high' && !reduced;
    this.onQuality?.(s.quality);
  }

  /** Set by App: applies a quality change to the live scene. */
  onQuality: ((q: Settings['quality']) => void) | null = null;

  /** A new session (player or spectator) starts. */
  attach(session: GameSession, connection: Connection, spectating: boolean): void {
    this.connection = spectating ? null : connection;
    this.chat.setReadOnly(spectating);
    session.on('welcome', (w) => {
      if (!w.resumed) this.newMatch(w.config);
    });
    session.on('chat', (c) => this.chat.line(c.from, c.text, performance.now()));
    session.on('serverError', (e) => this.chat.system(e.message));
  }

  private newMatch(config: MatchConfig): void {
    this.respawnSeconds = config.respawnSeconds;
    this.minimap.setMap(config.map);
    this.feedback.clear();
    this.chat.clear();
    this.cues.reset();
  }

  detach(): void {
    this.connection = null;
    this.playing = false;
    this.touch.releaseAll();
    this.touch.enabled = false;
    this.feedback.clear();
    this.chat.close();
  }

  setPlaying(playing: boolean): void {
    this.playing = playing;
    this.touch.enabled = playing;
    if (!playing) this.touch.releaseAll();
  }

  get respawnAfter(): number | undefined {
    return this.respawnSeconds;
  }

  frame(view: FrameView, session: GameSession, toScreen: (x: number, y: number) => { x: number; y: number }, screenView: { x: number; y: number; w: number; h: number }, now: number): void {
    const selfId = session.playerId;
    this.sounds(view, selfId);
    this.feedback.events(view.events, selfId, view.players, toScreen, now);
    this.feedback.tick(now);
    this.minimap.update(view.players, screenView, now);
    this.chat.tick(now);
  }

  private sounds(view: FrameView, selfId: number): void {
    for (const ev of view.events) if (ev[0] === EventKind.Fire && ev[1] === selfId && selfId !== 0) this.shotsFired++;
    for (const name of this.cues.cues(view, selfId)) this.sound.play(name);
  }

  /** For window.__tickwire.feel(). */
  debug(): Record<string, unknown> {
    return {
      ...this.feedback.counts,
      shotsFired: this.shotsFired,
      liveMarkers: this.feedback.root.querySelectorAll('.hit-marker').length,
      sound: { unlocked: this.sound.unlocked, gain: this.sound.gain, played: { ...this.sound.played } },
      settings: this.settings.value,
      touch: this.touch.active,
      minimapDots: this.minimap.dots,
      chat: this.chat.texts(),
    };
  }
}
