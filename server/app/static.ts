/**
 * The static-files feature: the built browser client (or the status page), then 405 for
 * any other method. Registered last: uWS matches `/*` only when no other route did.
 */
import { Exchange } from '../http/exchange.js';
import { acceptsGzip, loadStaticFiles } from '../http/staticFiles.js';
import type { Core } from './core.js';
import type { Feature } from './feature.js';

export function startStatic(c: Core): Feature {
  const files = loadStaticFiles(c.config.clientDir);
  c.app.get('/*', (res, req) => {
    const ex = new Exchange(res);
    const file = files.get(req.getUrl());
    if (!file) {
      // `/tag` → `/tag/`: the page's relative asset URLs need the trailing slash.
      const url = req.getUrl();
      if (files.has(`${url}/`)) return ex.send(308, '', { location: `${url}/`, 'cache-control': 'no-cache' });
      return ex.error(404, 'not found');
    }
    if (file.gzip && acceptsGzip(req.getHeader('accept-encoding'))) {
      return ex.send(200, file.gzip, { ...file.headers, 'content-encoding': 'gzip' });
    }
    ex.send(200, file.body, file.headers);
  });
  c.app.any('/*', (res) => new Exchange(res).error(405, 'method not allowed'));
  return {};
}
