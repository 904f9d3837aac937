/** The REST calls a test makes before playing: guest sign-in and matchmaking (Node's fetch). */
export async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: leave the text as it is
  }
  return { status: res.status, body: parsed };
}

export interface Guest {
  token: string;
  id: string;
}

export interface Seat {
  matchId: string;
  /** The play URL of the process that owns the match (`ws://…/play`). */
  url: string;
  /** Single-use, short-lived seat ticket for the play upgrade. */
  ticket: string;
}

/** `POST /api/auth/guest`: a guest token. Throws with the status and body when refused. */
export async function guest(base: string, name: string): Promise<Guest> {
  const r = await postJson(`${base}/api/auth/guest`, { name });
  if (r.status !== 200) throw new Error(`guest auth failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, id: r.body.player.id };
}

/** `POST /api/matchmake`: a seat in a match of `body.mode` (quick play by default). */
export async function matchmake(base: string, token: string, body: unknown = { mode: 'arena' }): Promise<Seat> {
  const r = await postJson(`${base}/api/matchmake`, body, token);
  if (r.status !== 200) throw new Error(`matchmake failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
