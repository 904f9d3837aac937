/** docs/security.md states the limits the code enforces by default. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.js';
import { DEFAULT_REQUEST_LIMITS } from '../../server/http/requestLimits.js';
import { defaultAbuseLimits } from '../../server/limits/abuseLimits.js';
import { uwsPayloadLimit } from '../../server/transport/namespace.js';
import { DEFAULT_SEND_LIMITS } from '../../server/transport/socketSender.js';

const docs = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
const row = (key: string) => docs.split('\n').find((l) => l.startsWith(`| \`${key}\``)) ?? '';

describe('docs/security.md', () => {
  it('lists every abuse limit with its default', () => {
    for (const [key, v] of Object.entries(defaultAbuseLimits)) {
      const r = row(key);
      expect(r, key).not.toBe('');
      if (typeof v === 'number') expect(r, key).toContain(`| ${v} |`);
      else expect(r, key).toContain(`${v.perMinute} per minute, burst ${v.burst}`);
    }
  });

  it('states the frame, send-buffer and HTTP limits the code uses', () => {
    expect(defaultConfig.maxFrameBytes).toBe(1024);
    expect(docs).toContain('a frame over 1 KiB');
    expect(uwsPayloadLimit(defaultConfig.maxFrameBytes)).toBe(16 * 1024);
    expect(docs).toContain('a frame over 16 KiB');
    expect(DEFAULT_SEND_LIMITS).toEqual({ softBytes: 64 * 1024, hardBytes: 512 * 1024 });
    expect(docs).toContain('above **64 KiB**');
    expect(docs).toContain('past **512 KiB**');
    expect(DEFAULT_REQUEST_LIMITS).toEqual({ maxTargetBytes: 2048, maxHeaderBytes: 8192, bodyTimeoutMs: 10_000 });
    expect(docs).toContain('over 2048 bytes, or headers over 8192 bytes');
    expect(docs).toContain('10 s after the request');
  });
});
