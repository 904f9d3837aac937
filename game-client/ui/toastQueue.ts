/**
 * Which toasts are on screen, as pure state (the DOM in toasts.ts only draws it): each toast
 * lives for its own time, the newest few are shown, and a toast with a `key` replaces an
 * earlier one with the same key (the same invite sent twice, or the same notification
 * arriving on two of the player's connections, is one toast, refreshed).
 */
export interface ToastInput {
  /** Notification kind (`invite`, `match_found`, `results`…) or `notice`, `error`, `info`. */
  kind: string;
  text: string;
  /** Label of the action button (e.g. "Join"); no button without it. */
  actionLabel?: string;
  /** Whatever the action needs (an invite's code and match id). */
  data?: Record<string, unknown>;
  /** Toasts with the same key replace each other. */
  key?: string;
  /** How long it stays, ms (default: 30 s with an action, 6 s without). */
  ttlMs?: number;
}

export interface Toast extends Required<Omit<ToastInput, 'actionLabel' | 'key' | 'ttlMs'>> {
  id: number;
  actionLabel: string | null;
  key: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface ToastQueueOptions {
  /** Shown at once (the newest). */
  maxVisible?: number;
  /** Kept at most; the oldest go first. */
  maxKept?: number;
}

export const ACTION_TTL_MS = 30_000;
export const PLAIN_TTL_MS = 6_000;

export class ToastQueue {
  private items: Toast[] = [];
  private nextId = 1;
  private readonly maxVisible: number;
  private readonly maxKept: number;

  constructor(o: ToastQueueOptions = {}) {
    this.maxVisible = o.maxVisible ?? 4;
    this.maxKept = o.maxKept ?? 12;
  }

  push(input: ToastInput, now: number): Toast {
    const ttl = input.ttlMs ?? (input.actionLabel ? ACTION_TTL_MS : PLAIN_TTL_MS);
    const key = input.key ?? null;
    if (key !== null) this.items = this.items.filter((t) => t.key !== key);
    const toast: Toast = {
      id: this.nextId++,
      kind: input.kind,
      text: input.text,
      actionLabel: input.actionLabel ?? null,
      data: input.data ?? {},
      key,
      createdAt: now,
      expiresAt: now + ttl,
    };
    this.items.push(toast);
    if (this.items.length > this.maxKept) this.items.splice(0, this.items.length - this.maxKept);
    return toast;
  }

  /** Drops expired toasts; true when anything changed. */
  expire(now: number): boolean {
    const before = this.items.length;
    this.items = this.items.filter((t) => t.expiresAt > now);
    return this.items.length !== before;
  }

  dismiss(id: number): boolean {
    const before = this.items.length;
    this.items = this.items.filter((t) => t.id !== id);
    return this.items.length !== before;
  }

  get(id: number): Toast | undefined {
    return this.items.find((t) => t.id === id);
  }

  /** What is on screen: the newest `maxVisible`, oldest first. */
  visible(): Toast[] {
    return this.items.slice(-this.maxVisible);
  }

  get size(): number {
    return this.items.length;
  }
}

/**
 * The toast for a personal notification. An invite carries a *Join* action with its code;
 * every notification is keyed by its content, so the same one arriving twice (e.g. on the
 * lobby and the play socket of the same player) shows once.
 */
export function toastForNotification(n: { kind: string; text: string; data: Record<string, unknown> }): ToastInput {
  const code = typeof n.data.code === 'string' ? n.data.code : null;
  if (n.kind === 'invite' && code) {
    return { kind: 'invite', text: n.text, actionLabel: 'Join', data: { ...n.data, code }, key: `invite:${code}` };
  }
  return { kind: n.kind, text: n.text, data: n.data, key: `${n.kind}:${n.text}` };
}
