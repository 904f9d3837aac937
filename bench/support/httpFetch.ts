/**
 * A minimal `fetch` over node:http with a keep-alive agent, for bench bots: Node's global
 * fetch (undici + WHATWG streams) costs several times more CPU per request, and with
 * hundreds of long-polling bots in one process that cost, not the transport, would set the
 * round-trip times. Only what PollingSocket uses: method, headers, a byte body, an abort
 * signal; the answer is a standard Response.
 */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096 });

export const httpFetch = ((input: string | URL, init: RequestInit = {}): Promise<Response> =>
  new Promise((resolve, reject) => {
    const body = init.body as Uint8Array | undefined;
    const headers = { ...(init.headers as Record<string, string>), ...(body ? { 'content-length': String(body.byteLength) } : {}) };
    const req = request(input, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    init.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
    req.end(body);
  })) as typeof fetch;
