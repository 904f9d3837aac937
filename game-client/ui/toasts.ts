/**
 * Toasts in the top-right corner over every screen (menu, game, spectator): notifications,
 * server notices and short confirmations. An invite has a *Join* button. The state lives
 * in ToastQueue; this only draws it and expires toasts on a timer.
 */
import { h } from './dom.js';
import { ToastQueue, type Toast, type ToastInput } from './toastQueue.js';

export class Toasts {
  readonly root = h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' });
  private readonly queue = new ToastQueue();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly onAction: (toast: Toast) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timer = setInterval(() => {
      if (this.queue.expire(this.now())) this.render();
    }, 500);
  }

  show(input: ToastInput): Toast {
    const t = this.queue.push(input, this.now());
    this.render();
    return t;
  }

  dismiss(id: number): void {
    if (this.queue.dismiss(id)) this.render();
  }

  /** What is on screen (for the debug hook). */
  visible(): Toast[] {
    return this.queue.visible();
  }

  destroy(): void {
    clearInterval(this.timer);
  }

  private render(): void {
    const els = this.queue.visible().map((t) => {
      const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', text: '×' });
      close.addEventListener('click', () => this.dismiss(t.id));
      const children: HTMLElement[] = [h('p', { class: 'toast-text', text: t.text })];
      if (t.actionLabel) {
        const action = h('button', { type: 'button', class: 'primary toast-action', text: t.actionLabel });
        action.addEventListener('click', () => {
          this.dismiss(t.id);
          this.onAction(t);
        });
        children.push(action);
      }
      return h('div', { class: 'toast', role: 'status', 'data-kind': t.kind, 'data-id': String(t.id) }, ...children, close);
    });
    this.root.replaceChildren(...els);
  }
}
