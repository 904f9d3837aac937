/**
 * The REST calls the client makes: guest sign-in, quick play and resume. Plain fetch, so it
 * runs in browsers and in Node 20 (tests) alike; the base URL is '' in the page.
 */
export interface MatchTicket {
  matchId: string;
  /** WebSocket URL of the /play namespace on the server that owns the match. */
  url: string;
  ticket: string;
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

  quickPlay(token: string, mode = 'arena'): Promise<MatchTicket> {
    return this.post('/api/matchmake', { mode }, token) as Promise<MatchTicket>;
  }

  /** A ticket back into this player's seat; ApiError with `matchGone` when it is gone. */
  resume(token: string, matchId: string): Promise<MatchTicket> {
    return this.post('/api/matchmake', { resume: matchId }, token) as Promise<MatchTicket>;
  }

  private async post(path: string, body: unknown, token?: string): Promise<unknown> {
    const res = await this.fetchFn(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
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
