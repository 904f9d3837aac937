/**
 * One option value, parsed by its kind (server/cliOptionTable.ts): integers and cores in
 * range, durations with units (or `off`), enums, booleans, files read, JSON objects merged
 * over their defaults. Errors are messages without the option's name: cliOptions.ts adds
 * where the value came from.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { mergeAbuseLimits } from './limits/abuseLimits.js';
import { mergePollingLimits } from './transport/polling/pollingLimits.js';
import { mergeRequestLimits } from './http/requestLimits.js';
import { formatMs, type OptionSpec } from './cliOptionTable.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;

/** Three example durations inside [minMs, maxMs], so an error never suggests a value it refuses. */
export function durationExamples(minMs: number, maxMs: number): string {
  const candidates = [500, 30_000, 300_000, 3_600_000, 7 * 86_400_000, 30 * 86_400_000];
  const inRange = candidates.filter((ms) => ms >= minMs && ms <= maxMs);
  const picked = inRange.length >= 3 ? inRange.slice(0, 3) : [...new Set([minMs, ...inRange, maxMs])];
  const text = picked.map(formatMs);
  return text.length > 1 ? `${text.slice(0, -1).join(', ')} or ${text[text.length - 1]}` : text[0]!;
}
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses one raw value by its kind; throws a message (without the option name) on error. */
export function parseValue(spec: OptionSpec, raw: string | boolean): unknown {
  const k = spec.kind;
  switch (k.type) {
    case 'int': {
      const range = `must be an integer from ${k.min} to ${k.max}`;
      if (typeof raw !== 'string' || !/^[+-]?\d+$/.test(raw.trim())) throw new Error(range);
      const n = Number(raw);
      if (n < k.min || n > k.max) throw new Error(range);
      return n;
    }
    case 'duration': {
      const off = k.offValue !== undefined;
      const range = `must be a duration from ${formatMs(k.minMs)} to ${formatMs(k.maxMs)}${off ? ' or off' : ''}, like ${durationExamples(k.minMs, k.maxMs)}`;
      if (typeof raw !== 'string') throw new Error(range);
      const text = raw.trim().toLowerCase();
      if (off && text === 'off') return k.offValue;
      const m = DURATION.exec(text);
      if (!m) throw new Error(range);
      const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']);
      if (ms < k.minMs || ms > k.maxMs) throw new Error(range);
      return ms;
    }
    case 'string':
      if (typeof raw !== 'string' || raw.trim() === '') throw new Error('must not be empty');
      return raw.trim();
    case 'enum':
      if (typeof raw !== 'string' || !k.values.includes(raw.trim())) throw new Error(`must be one of ${k.values.join(', ')}`);
      return raw.trim();
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new Error('must be true or false');
    }
    case 'file': {
      if (typeof raw !== 'string' || raw.trim() === '') throw new Error('needs a file path');
      try {
        return readFileSync(raw.trim(), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
        throw new Error(`cannot read the file (${why})`);
      }
    }
    case 'cores': {
      const range = `must be auto or an integer from ${k.min} to ${k.max}`;
      if (typeof raw !== 'string') throw new Error(range);
      if (raw.trim().toLowerCase() === 'auto') return Math.min(k.max, Math.max(k.min, availableParallelism()));
      if (!/^[+-]?\d+$/.test(raw.trim()) || Number(raw) < k.min || Number(raw) > k.max) throw new Error(range);
      return Number(raw);
    }
    case 'json': {
      let v: unknown;
      try {
        v = JSON.parse(String(raw));
      } catch {
        throw new Error(`must be a JSON object, like '{"matchSeconds":300}'`);
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`must be a JSON object, like '{"matchSeconds":300}'`);
      if (spec.key === 'limits') return mergeAbuseLimits(v as Record<string, unknown>);
      if (spec.key === 'requestLimits') return mergeRequestLimits(v as Record<string, unknown>);
      if (spec.key === 'polling') return mergePollingLimits(v as Record<string, unknown>);
      return v;
    }
  }
}
