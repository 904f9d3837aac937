/**
 * The guest identity kept in localStorage, so a reload or a second tab is the same player
 * (quick play then returns the seat that player still holds, and a second tab replaces the
 * first one's connection). A token is reused only for the same name and while it has more
 * than a minute left.
 */
export interface StoredGuest {
  token: string;
  id: string;
  name: string;
}

const KEY = 'tickwire.guest';

function tokenExpiry(token: string): number {
  try {
    const payload = token.split('.')[1];
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof json.exp === 'number' ? json.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

export function loadGuest(name?: string): StoredGuest | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const g = JSON.parse(raw) as StoredGuest;
    if (typeof g.token !== 'string' || typeof g.id !== 'string' || typeof g.name !== 'string') return null;
    if (name !== undefined && g.name !== name) return null;
    if (tokenExpiry(g.token) < Date.now() + 60_000) return null;
    return g;
  } catch {
    return null; // storage disabled (private mode) or garbage: sign in again
  }
}

export function saveGuest(g: StoredGuest): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(g));
  } catch {
    // Without storage the player simply gets a new guest identity next time.
  }
}

export function forgetGuest(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing to forget
  }
}

/** The last name used, for the menu's name field. */
export function lastName(): string {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? String((JSON.parse(raw) as StoredGuest).name ?? '') : '';
  } catch {
    return '';
  }
}
