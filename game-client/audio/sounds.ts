/**
 * Game sounds synthesized with the Web Audio API (no asset files, no dependency): shots,
 * hits, getting hit, deaths, countdown beeps and the match-end jingle.
 *
 * Browsers refuse to start audio before a user gesture, and a player should not be
 * surprised by sound anyway: the AudioContext is created only by `unlock()`, which the page
 * calls from its first pointerdown/keydown. Before that every `play` is a no-op. Volume and
 * mute (from the settings) go through one master gain. Voices are capped so a burst of
 * events cannot pile up oscillators.
 */
export type SoundName = 'shot' | 'hit' | 'hurt' | 'death' | 'countdown' | 'go' | 'matchEnd';

/** The slice of AudioContext this uses (a fake one in unit tests). */
export interface AudioContextLike {
  readonly currentTime: number;
  readonly destination: AudioNode;
  readonly state: string;
  createGain(): GainNode;
  createOscillator(): OscillatorNode;
  resume(): Promise<void>;
}

interface Tone {
  type: OscillatorType;
  from: number;
  to: number;
  /** Seconds. */
  dur: number;
  gain: number;
  /** Start offset, seconds. */
  at?: number;
}

const TONES: Record<SoundName, Tone[]> = {
  shot: [{ type: 'square', from: 880, to: 220, dur: 0.07, gain: 0.18 }],
  hit: [{ type: 'triangle', from: 1400, to: 1800, dur: 0.06, gain: 0.3 }],
  hurt: [{ type: 'sawtooth', from: 180, to: 60, dur: 0.16, gain: 0.35 }],
  death: [{ type: 'sawtooth', from: 440, to: 55, dur: 0.5, gain: 0.3 }],
  countdown: [{ type: 'sine', from: 660, to: 660, dur: 0.12, gain: 0.3 }],
  go: [{ type: 'sine', from: 990, to: 990, dur: 0.25, gain: 0.35 }],
  matchEnd: [
    { type: 'triangle', from: 523, to: 523, dur: 0.15, gain: 0.3 },
    { type: 'triangle', from: 659, to: 659, dur: 0.15, gain: 0.3, at: 0.15 },
    { type: 'triangle', from: 784, to: 784, dur: 0.3, gain: 0.3, at: 0.3 },
  ],
};

const MAX_VOICES = 12;

export class SoundBoard {
  private ctx: AudioContextLike | null = null;
  private master: GainNode | null = null;
  private voices = 0;
  private volume = 0.6;
  private muted = false;
  /** Sounds started, per name (tests and the curious). */
  readonly played: Partial<Record<SoundName, number>> = {};

  constructor(private readonly createContext: () => AudioContextLike | null = defaultContext) {}

  get unlocked(): boolean {
    return this.ctx !== null;
  }

  /** Call from a user gesture: creates (or resumes) the audio context. */
  unlock(): void {
    if (!this.ctx) {
      this.ctx = this.createContext();
      if (!this.ctx) return;
      this.master = this.ctx.createGain();
      this.master.connect(this.ctx.destination);
      this.applyGain();
    }
    if (this.ctx.state === 'suspended') void this.ctx.resume().catch(() => {});
  }

  setVolume(volume: number, muted: boolean): void {
    this.volume = Math.max(0, Math.min(1, volume));
    this.muted = muted;
    this.applyGain();
  }

  /** The master gain in use (0 when muted). */
  get gain(): number {
    return this.muted ? 0 : this.volume;
  }

  play(name: SoundName): void {
    const ctx = this.ctx;
    if (!ctx || !this.master || this.gain === 0 || ctx.state !== 'running') return;
    for (const t of TONES[name]) {
      if (this.voices >= MAX_VOICES) return;
      const start = ctx.currentTime + (t.at ?? 0);
      const osc = ctx.createOscillator();
      const env = ctx.createGain();
      osc.type = t.type;
      osc.frequency.setValueAtTime(t.from, start);
      if (t.to !== t.from) osc.frequency.exponentialRampToValueAtTime(t.to, start + t.dur);
      env.gain.setValueAtTime(t.gain, start);
      env.gain.exponentialRampToValueAtTime(0.001, start + t.dur);
      osc.connect(env);
      env.connect(this.master);
      this.voices++;
      osc.onended = () => {
        this.voices--;
        env.disconnect();
      };
      osc.start(start);
      osc.stop(start + t.dur + 0.02);
    }
    this.played[name] = (this.played[name] ?? 0) + 1;
  }

  private applyGain(): void {
    if (this.master && this.ctx) this.master.gain.setValueAtTime(this.gain, this.ctx.currentTime);
  }
}

function defaultContext(): AudioContextLike | null {
  const Ctor = (globalThis as { AudioContext?: new () => AudioContextLike }).AudioContext;
  return Ctor ? new Ctor() : null;
}
