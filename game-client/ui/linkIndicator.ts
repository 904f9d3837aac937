/**
 * "Connection unstable" badge at the top of the game: shown while the server has been
 * silent for a moment (net/linkHealth.ts) and the game holds the player's inputs. It gives
 * way to the reconnect overlay when the link is lost, and disappears when frames flow again.
 */
import type { LinkState } from '../../client/index.js';
import { h } from './dom.js';

export class LinkIndicator {
  readonly root: HTMLElement;
  /** Times the badge was shown (the browser tests read it through `window.__tickwire`). */
  shown = 0;

  constructor() {
    this.root = h('div', { id: 'link-indicator', class: 'link-indicator', role: 'status', text: 'Connection unstable — waiting for the server…' });
    this.root.hidden = true;
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  set(state: LinkState): void {
    const visible = state === 'unstable';
    if (visible && this.root.hidden) this.shown++;
    this.root.hidden = !visible;
  }
}
