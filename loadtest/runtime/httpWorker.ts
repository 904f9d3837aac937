/**
 * The HTTP helper thread: performs the requests of every VU thread asynchronously and
 * answers on the requesting thread's MessagePort, then wakes it through its shared signal
 * word (the requester blocks in Atomics.wait, which is what makes k6's http.get/post
 * synchronous without blocking this thread). Keep-alive connections are shared, as one k6
 * instance's are per VU.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { MAX_RESPONSE_BYTES, type HttpRequest, type HttpResult, type HttpTimings } from './httpTypes.js';

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

function reply(port: MessagePort, signal: Int32Array, result: HttpResult): void {
  port.postMessage(result);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function perform(req: HttpRequest, done: (r: HttpResult) => void): void {
  const t0 = performance.now();
  const timings: HttpTimings = { blocked: 0, connecting: 0, tls_handshake: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 };
  const fail = (error: string, errorCode: number, status = 0) => {
    if (finished) return;
    finished = true;
    done({ id: req.id, status, statusText: '', headers: {}, body: '', error, errorCode, timings, sentBytes: 0, receivedBytes: 0 });
  };
  let finished = false;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return fail(`invalid URL ${req.url}`, 1000);
  }
  const agent = agents[url.protocol as 'http:' | 'https:'];
  if (!agent) return fail(`unsupported URL scheme ${url.protocol} (http: and https: only)`, 1000);
  const body = req.body === null ? null : typeof req.body === 'string' ? Buffer.from(req.body) : Buffer.from(req.body);
  const headers = { ...req.headers };
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
  let ready = t0; // socket usable
  let sent = t0;
  let firstByte = t0;
  const request = (url.protocol === 'https:' ? https : http).request(url, { method: req.method, headers, agent });
  const sentBytes = Buffer.byteLength(`${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n`) +
    Object.entries(headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 2) + (body?.length ?? 0);
  // k6's timeout bounds the whole request (connect to last body byte), not socket idleness.
  const deadline = setTimeout(() => {
    fail(`request timeout after ${req.timeoutMs} ms`, 1050);
    request.destroy();
  }, req.timeoutMs);
  request.on('close', () => clearTimeout(deadline));
  request.on('socket', (socket) => {
    timings.blocked = performance.now() - t0;
    if (socket.connecting) {
      const connectStart = performance.now();
      socket.once('connect', () => {
        ready = performance.now();
        timings.connecting = ready - connectStart;
      });
    } else ready = performance.now();
  });
  request.on('finish', () => {
    sent = performance.now();
    timings.sending = Math.max(0, sent - ready);
  });
  request.on('error', (err: NodeJS.ErrnoException) => fail(err.code ? `${err.code}: ${err.message}` : err.message, 1000));
  request.on('response', (res) => {
    firstByte = performance.now();
    timings.waiting = firstByte - Math.max(sent, ready);
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_RESPONSE_BYTES) {
        request.destroy();
        fail(`response body over ${MAX_RESPONSE_BYTES} bytes`, 1100, res.statusCode ?? 0);
        return;
      }
      chunks.push(c);
    });
    res.on('error', (err) => fail(err.message, 1000));
    res.on('end', () => {
      if (finished) return;
      finished = true;
      timings.receiving = performance.now() - firstByte;
      timings.duration = timings.sending + timings.waiting + timings.receiving;
      const out: Record<string, string> = {};
      for (let i = 0; i < res.rawHeaders.length; i += 2) out[res.rawHeaders[i]] = res.rawHeaders[i + 1];
      const headerBytes = res.rawHeaders.reduce((n, h) => n + h.length + 2, 16);
      done({
        id: req.id,
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: out,
        body: Buffer.concat(chunks).toString('utf8'),
        error: '',
        errorCode: 0,
        timings,
        sentBytes,
        receivedBytes: headerBytes + size,
      });
    });
  });
  request.end(body ?? undefined);
}

parentPort!.on('message', (m: { port: MessagePort; signal: SharedArrayBuffer }) => {
  const signal = new Int32Array(m.signal);
  m.port.on('message', (req: HttpRequest) => perform(req, (r) => reply(m.port, signal, r)));
});
