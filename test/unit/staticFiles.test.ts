import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptsGzip, loadStaticFiles } from '../../server/http/staticFiles.js';
import { startTestServer } from '../support/testServer.js';

const dir = mkdtempSync(join(tmpdir(), 'tickwire-static-'));
const js = 'export const x = "' + 'tickwire '.repeat(2000) + '";\n';
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(join(dir, 'main-ABCDEFGH.js'), js);
writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096, 7));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('static files', () => {
  it('gzips text assets once at load, skips small and binary ones', () => {
    const files = loadStaticFiles(dir);
    const main = files.get('/main-ABCDEFGH.js')!;
    expect(main.gzip).not.toBeNull();
    expect(main.gzip!.length).toBeLessThan(main.body.length / 10);
    expect(gunzipSync(main.gzip!).toString()).toBe(js);
    expect(main.headers['cache-control']).toMatch(/immutable/);
    expect(files.get('/index.html')!.gzip).toBeNull(); // too small to be worth it
    expect(files.get('/logo.png')!.gzip).toBeNull();
    expect(files.get('/')).toBe(files.get('/index.html'));
  });

  it('reads Accept-Encoding, honouring q=0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
  });

  it('the server sends gzip only to clients that accept it', async () => {
    const server = await startTestServer({ clientDir: dir });
    const fetchRaw = (headers: Record<string, string>) =>
      new Promise<{ encoding: string | undefined; body: Buffer; vary: string | undefined }>((resolve, reject) => {
        get(`${server.http}/main-ABCDEFGH.js`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks), vary: res.headers.vary as string | undefined }));
        }).on('error', reject);
      });
    try {
      const zipped = await fetchRaw({ 'accept-encoding': 'gzip' });
      expect(zipped.encoding).toBe('gzip');
      expect(gunzipSync(zipped.body).toString()).toBe(js);
      expect(zipped.vary).toMatch(/accept-encoding/i);
      const plain = await fetchRaw({});
      expect(plain.encoding).toBeUndefined();
      expect(plain.body.toString()).toBe(js);
    } finally {
      await server.close();
    }
  });
});
