/**
 * Static files for the browser client. Files are read, and text ones gzipped, once at
 * start (no sync I/O or compression per request); gzip goes to clients that accept it.
 * Hashed assets are cached for a year, index.html never. Without a built client the root
 * serves a small status page that says the server is up and links the API. A subfolder
 * with an index.html (dist/client/tag/) is served at its folder URL (/tag/).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname, join, relative } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  body: Buffer;
  /** Gzip of `body`, made once at start, when it is text and worth it; null otherwise. */
  gzip: Buffer | null;
  headers: Record<string, string>;
}

/** Text types are compressed once at load; images and fonts are already compressed. */
function compressible(type: string): boolean {
  return /^(text\/|application\/json|image\/svg)/.test(type);
}

function gzipOf(body: Buffer, type: string): Buffer | null {
  if (!compressible(type) || body.length < 1024) return null;
  const gz = gzipSync(body, { level: 9 });
  return gz.length < body.length * 0.9 ? gz : null;
}

/** Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0). */
export function acceptsGzip(acceptEncoding: string): boolean {
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (name !== 'gzip' && name !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A name like `main-3F2A9C1B.js` carries a content hash, so it can be cached forever. */
function isHashed(path: string): boolean {
  return /-[A-Z0-9]{8,}\.[a-z0-9]+$/i.test(path);
}

export function loadStaticFiles(dir: string | null): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (dir) {
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const full = join(d, name);
        if (statSync(full).isDirectory()) walk(full);
        else {
          const url = '/' + relative(dir, full).split('\\').join('/');
          const body = readFileSync(full);
          files.set(url, {
            body,
            gzip: gzipOf(body, contentType(full)),
            headers: {
              'content-type': contentType(full),
              vary: 'Accept-Encoding',
              'cache-control': isHashed(full) ? 'public, max-age=31536000, immutable' : 'no-cache',
              'x-content-type-options': 'nosniff',
            },
          });
        }
      }
    };
    try {
      walk(dir);
    } catch {
      // A missing client build falls back to the status page below.
    }
  }
  // A folder with its own index.html is a second client (the tag game at /tag/): its
  // folder URL serves that page, whose relative asset URLs then resolve inside the folder.
  for (const [url, file] of [...files]) if (url.endsWith('/index.html') && url !== '/index.html') files.set(url.slice(0, -'index.html'.length), file);
  const index = files.get('/index.html');
  files.set('/', index ?? { body: Buffer.from(STATUS_PAGE), gzip: null, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
  return files;
}

const STATUS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tickwire</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Tickwire server is up</h1>
<p>The browser client is not built in this process. API:</p>
<ul>
<li><code>POST /api/auth/guest {"name"}</code> → <code>{"token","player"}</code></li>
<li><code>POST /api/matchmake {"mode":"POST /api/matchmake {"mode":"arena"}lt;modePOST /api/matchmake {"mode":"arena"}gt;"}</code> with <code>Authorization: Bearer &lt;token&gt;</code> → <code>{"matchId","url","ticket"}</code></li>
<li>WebSocket <code>/play?ticket=…</code>, subprotocol <code>tickwire.v2</code></li>
<li><a href="/api/matches">GET /api/matches</a> · <a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></li>
</ul></body></html>
`;
