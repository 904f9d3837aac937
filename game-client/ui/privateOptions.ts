/**
 * The host's choices for a private match, under *Create private*: bots on or off, seats
 * (2 = a plain 1v1) and the bots' level. The server checks them again (POST /api/matches).
 */
import { h } from './dom.js';

export interface PrivateMatchOptions {
  bots: boolean;
  seats: number;
  botSkill: 'easy' | 'normal' | 'hard';
}

export class PrivateOptions {
  readonly root: HTMLElement;
  private readonly bots = h('input', { id: 'private-bots', type: 'checkbox' });
  private readonly seats = h('select', { id: 'private-seats', 'aria-label': 'Seats' });
  private readonly skill = h('select', { id: 'private-bot-skill', 'aria-label': 'Bot level' });

  constructor(maxSeats = 8) {
    this.bots.checked = true;
    for (let n = 2; n <= maxSeats; n++) this.seats.append(h('option', { value: String(n), text: n === 2 ? '2 (1v1)' : String(n) }));
    this.seats.value = String(maxSeats);
    for (const l of ['easy', 'normal', 'hard']) this.skill.append(h('option', { value: l, text: l }));
    this.skill.value = 'normal';
    this.bots.addEventListener('change', () => (this.skill.disabled = !this.bots.checked));
    this.root = h(
      'details',
      { id: 'private-options', class: 'private-options' },
      h('summary', { text: 'Options' }),
      h('label', { class: 'opt' }, this.bots, ' Bots fill empty seats'),
      h('label', { class: 'opt' }, 'Seats ', this.seats),
      h('label', { class: 'opt' }, 'Bot level ', this.skill),
    );
  }

  get value(): PrivateMatchOptions {
    return { bots: this.bots.checked, seats: Number(this.seats.value), botSkill: this.skill.value as PrivateMatchOptions['botSkill'] };
  }
}
