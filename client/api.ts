/**
 * The REST calls the client makes: guest sign-in, quick play, resume, private matches
 * (create, join by code, invite) and the public match list. Plain fetch, so it runs in
 * browsers and in Node 20 (tests) alike; the base URL is '' in the page.
 */
export interface MatchTicket {
  matchId: string;
  /** WebSocket URL of the /play namespace on the server that owns the match. */
  url: string;
  ticket: string;
  /** The join code, for private matches only. */
  code?: string;
}

export interface InviteResult {
  /** False when the invitee has no open connection (notifications are not kept). */
  delivered: boolean;
  code: string;
}

export interface GuestSession {
  token: string;
  player: { id: string; name: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** The match (or this player's seat in it) no longer exists: resuming is pointless. */
  get matchGone(): boolean {
    return this.status === 404 || this.status === 410;
  }

  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  constructor(
    private readonly baseUrl = '',
    private readonly fetchFn: FetchFn = (input, init) => fetch(input, init),
  ) {}

  guest(name: string): Promise<GuestSession> {
    return this.post('/api/auth/guest', { name }) as Promise<GuestSession>;
  }

  /** A seat in an open match of `mode` (the server's game mode name), or a new match. */
  quickPlay(token: string, mode: string): Promise<MatchTicket> {
    return this.post('/api/matchmake', { mode }, token) as Promise<MatchTicket>;
  }

  /** A ticket back into this player's seat; ApiError with `matchGone` when it is gone. */
  resume(token: string, matchId: string): Promise<MatchTicket> {
    return this.post('/api/matchmake', { resume: matchId }, token) as Promise<MatchTicket>;
  }

  /**
   * Opens a private match of `mode` with the caller's seat reserved; the answer carries its
   * `code`. `options`: the mode's settings (POST /api/matches checks them).
   */
  createPrivate(token: string, mode: string, options: Record<string, unknown> = {}): Promise<MatchTicket> {
    return this.post('/api/matches', { mode, private: true, ...options }, token) as Promise<MatchTicket>;
  }

  /** A seat in the match with this join code; ApiError 404 (naming the code) when there is none. */
  joinByCode(token: string, code: string): Promise<MatchTicket> {
    return this.post('/api/matchmake', { code }, token) as Promise<MatchTicket>;
  }

  /** Sends the caller's private-match code to a player (the caller must be seated in one). */
  invite(token: string, playerId: string): Promise<InviteResult> {
    return this.post('/api/invite', { playerId }, token) as Promise<InviteResult>;
  }

  /**
   * Whether the server accepts this token: false on 401. (Asks for an event-stream ticket,
   * the cheapest authenticated call; it expires unused. The lobby asks this after its socket
   * failed to open, because a browser hides an upgrade's 401.)
   */
  async checkToken(token: string): Promise<boolean> {
    try {
      await this.post('/api/events/ticket', {}, token);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.unauthorized) return false;
      throw e;
    }
  }

  /** Public matches on every node (private ones are never listed). */
  async listMatches(): Promise<Array<{ id: string }>> {
    const body = (await this.request('GET', '/api/matches')) as { matches?: Array<{ id: string }> } | null;
    return body?.matches ?? [];
  }

  private post(path: string, body: unknown, token?: string): Promise<unknown> {
    return this.request('POST', path, body, token);
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<unknown> {
    const res = await this.fetchFn(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page: fall through with the status.
    }
    if (!res.ok) {
      const msg = (parsed as { error?: unknown } | null)?.error;
      throw new ApiError(res.status, typeof msg === 'string' ? msg : `HTTP ${res.status}`);
    }
    return parsed;
  }
}
