/**
 * server/listen.ts: after a failed listen, is the --host this machine's? Name resolution
 * and the interface list are stubbed.
 */
import { describe, expect, it } from 'vitest';
import { checkLocalHost, HostNotLocalError, type HostCheckDeps } from '../../server/listen.js';

const deps = (names: Record<string, string[]>, local = ['127.0.0.1', '::1', '10.0.0.5', 'fe80::1']): HostCheckDeps => ({
  resolve: async (host) => {
    const a = names[host];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return a;
  },
  localAddresses: () => local,
});

describe('checkLocalHost', () => {
  it.each(['0.0.0.0', '::', '[::]', '127.0.0.1', '127.0.0.2', '::1', '[::1]', '10.0.0.5', 'FE80::1'])('%s is local', async (host) => {
    expect(await checkLocalHost(host, deps({}))).toBeNull();
  });

  it('a name is local when one of its addresses is', async () => {
    expect(await checkLocalHost('localhost', deps({ localhost: ['::1', '127.0.0.1'] }))).toBeNull();
    expect(await checkLocalHost('me.lan', deps({ 'me.lan': ['10.0.0.5'] }))).toBeNull();
  });

  it('an address of another machine is named as such, with this machine’s addresses', async () => {
    const e = await checkLocalHost('10.0.0.9', deps({}));
    expect(e).toBeInstanceOf(HostNotLocalError);
    expect(e!.message).toBe(
      "cannot listen on 10.0.0.9: not an address of this machine (this machine has 127.0.0.1, ::1, 10.0.0.5, fe80::1); pass one of this machine's addresses to --host, or 0.0.0.0 for all of them",
    );
  });

  it('a name that resolves elsewhere, or not at all', async () => {
    expect((await checkLocalHost('db.example.com', deps({ 'db.example.com': ['192.0.2.10'] })))!.message).toMatch(
      /^cannot listen on db\.example\.com: 192\.0\.2\.10 is not an address of this machine \(this machine has/,
    );
    expect((await checkLocalHost('nowhere.invalid', deps({})))!.message).toMatch(/^cannot listen on nowhere\.invalid: the name does not resolve to an address/);
  });
});
