/**
 * Which sounds a frame calls for, from the frame view alone: the own shot the moment its
 * predicted projectile appears; the own hits, being hit and deaths involving the player
 * from released events; a beep on each of the last three countdown seconds, "go" when play
 * starts, and the jingle when the match ends. Keeps only the little state that needs
 * (bounded by the shots on screen).
 */
import { EventKind, Phase } from '../../protocol/index.js';
import type { FrameView } from '../netcode/views.js';
import type { SoundName } from './sounds.js';

export class SoundCues {
  private heardShots = new Set<string>();
  private lastCountdown = 0;
  private lastPhase: Phase | null = null;

  reset(): void {
    this.heardShots.clear();
    this.lastCountdown = 0;
    this.lastPhase = null;
  }

  cues(view: Pick<FrameView, 'projectiles' | 'events' | 'phase' | 'secondsLeft'>, selfId: number): SoundName[] {
    const out: SoundName[] = [];
    const heard = new Set<string>();
    for (const p of view.projectiles) {
      if (!p.predicted) continue;
      heard.add(p.key);
      if (!this.heardShots.has(p.key)) out.push('shot');
    }
    this.heardShots = heard;
    if (selfId !== 0) {
      for (const ev of view.events) {
        const k = ev[0];
        if (k === EventKind.Hit && ev[1] === selfId && ev[2] !== selfId) out.push('hit');
        else if (k === EventKind.Hit && ev[2] === selfId) out.push('hurt');
        else if (k === EventKind.Kill && (ev[1] === selfId || ev[2] === selfId)) out.push('death');
      }
    }
    if (view.phase === Phase.Countdown) {
      const n = Math.ceil(view.secondsLeft);
      if (n !== this.lastCountdown && n <= 3 && n > 0) out.push('countdown');
      this.lastCountdown = n;
    }
    if (this.lastPhase !== null && view.phase !== this.lastPhase) {
      if (view.phase === Phase.Playing && this.lastPhase === Phase.Countdown) out.push('go');
      if (view.phase === Phase.Ended) out.push('matchEnd');
    }
    this.lastPhase = view.phase;
    return out;
  }
}
