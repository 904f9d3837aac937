/**
 * The player's settings, remembered in localStorage (key `tickwire.settings`): volume and
 * mute, key bindings for the four move directions, whether the net graph shows, and the
 * render quality. Every field is checked on load; a missing or bad one takes its default,
 * so an old or hand-edited entry never breaks the page. Storage may be off (private mode):
 * the settings then last for the page.
 */
export type MoveAction = 'up' | 'down' | 'left' | 'right';
export type Quality = 'high' | 'low';

export interface Settings {
  /** 0–1. */
  volume: number;
  muted: boolean;
  /** KeyboardEvent.code per action (arrows always work too). */
  keys: Record<MoveAction, string>;
  showNetGraph: boolean;
  /** 'low': no antialiasing, device pixel ratio 1, no screen shake. */
  quality: Quality;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  volume: 0.6,
  muted: false,
  keys: Object.freeze({ up: 'KeyW', down: 'KeyS', left: 'KeyA', right: 'KeyD' }) as Record<MoveAction, string>,
  showNetGraph: false,
  quality: 'high',
});

export const STORAGE_KEY = 'tickwire.settings';
export const MOVE_ACTIONS: readonly MoveAction[] = ['up', 'down', 'left', 'right'];

/** Keys that cannot be bound: they already mean something (or leave the page). */
const RESERVED = new Set(['Tab', 'F3', 'Escape', 'Enter', 'F5', 'F11', 'F12']);

export function bindable(code: string): boolean {
  return /^[A-Za-z0-9]{1,24}$/.test(code) && !RESERVED.has(code);
}

/** A valid Settings from anything (parsed JSON): each bad field falls back to its default. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_SETTINGS;
  const rk = (typeof r.keys === 'object' && r.keys !== null ? r.keys : {}) as Record<string, unknown>;
  const keys = { ...d.keys };
  for (const a of MOVE_ACTIONS) {
    const v = rk[a];
    if (typeof v === 'string' && bindable(v)) keys[a] = v;
  }
  // Two actions on one key would make one of them unreachable: keep the defaults then.
  if (new Set(Object.values(keys)).size !== MOVE_ACTIONS.length) Object.assign(keys, d.keys);
  return {
    volume: typeof r.volume === 'number' && r.volume >= 0 && r.volume <= 1 ? r.volume : d.volume,
    muted: typeof r.muted === 'boolean' ? r.muted : d.muted,
    keys,
    showNetGraph: typeof r.showNetGraph === 'boolean' ? r.showNetGraph : d.showNetGraph,
    quality: r.quality === 'low' || r.quality === 'high' ? r.quality : d.quality,
  };
}

type Listener = (s: Settings) => void;

export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage()) {
    let raw: unknown = null;
    try {
      const text = this.storage?.getItem(STORAGE_KEY);
      raw = text ? JSON.parse(text) : null;
    } catch {
      raw = null;
    }
    this.current = normalizeSettings(raw);
  }

  get value(): Settings {
    return this.current;
  }

  /** Applies a change (validated like a load), saves it and tells every listener. */
  update(patch: Partial<Settings>): void {
    this.current = normalizeSettings({ ...this.current, ...patch, keys: { ...this.current.keys, ...patch.keys } });
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.current));
    } catch {
      // Storage full or off: the settings still apply to this page.
    }
    for (const l of this.listeners) l(this.current);
  }

  onChange(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
