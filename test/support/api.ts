/** Small HTTP helpers for tests (Node's fetch against the real server). */
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
    // leave as text
  }
  return { status: res.status, body: parsed };
}

export async function guest(base: string, name: string): Promise<{ token: string; id: string }> {
  const r = await postJson(`${base}/api/auth/guest`, { name });
  if (r.status !== 200) throw new Error(`guest auth failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, id: r.body.player.id };
}

export async function matchmake(base: string, token: string, body: unknown = { mode: 'arena' }): Promise<{ matchId: string; url: string; ticket: string }> {
  const r = await postJson(`${base}/api/matchmake`, body, token);
  if (r.status !== 200) throw new Error(`matchmake failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
