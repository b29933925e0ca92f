import { describe, expect, it } from 'vitest';
import { manualTimers } from './timers';
import { forgeHostFrom } from '../forges/forge-host';
import type { TokenGrant } from '../forges/oauth-types';
import { createSessionVault } from './session-vault';

const grant = (accessToken: string): TokenGrant => ({ accessToken, refreshToken: null, expiresAt: null, refreshExpiresAt: null, scopes: ['repo'], viaDevice: false });

describe('session vault on quit', () => {
  it('forgets every session at once, revokes in parallel, and gives up on a forge slower than the budget', async () => {
    const timers = manualTimers(Date.parse('2026-12-07T12:00:00Z'));
    const revoked: string[] = [];
    const vault = createSessionVault({
      timers,
      forges: () =>
        ({
          oauth: {
            // one forge answers, the other never does
            revoke: (_host: unknown, token: string) => (token === 'slow-token' ? new Promise<boolean>(() => {}) : (revoked.push(token), Promise.resolve(true))),
          },
        }) as never,
    });
    const fast = forgeHostFrom({ type: 'github', webUrl: 'https://ghe.fast.example', clientId: 'a' });
    const slow = forgeHostFrom({ type: 'gitlab', webUrl: 'https://gitlab.slow.example', clientId: 'b' });
    vault.store(fast, grant('fast-token'), { login: 'alice', name: null, avatarUrl: null, scopes: null });
    vault.store(slow, grant('slow-token'), { login: 'alice', name: null, avatarUrl: null, scopes: null });
    const done = vault.signOutAll(2000);
    expect(vault.list()).toEqual([]);
    let settled: number | undefined;
    void done.then((n) => (settled = n));
    await Promise.resolve();
    expect(settled).toBeUndefined(); // still waiting for the slow forge, within the budget
    timers.advance(2001);
    expect(await done).toBe(1);
    expect(revoked).toEqual(['fast-token']);
  });
});
