import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { forgeEndpoints, githubDotCom, githubEnterpriseHost, resolveRepoUrl, validateForgeHost } from '../forges/forge-host';
import { createOAuthState, createPkce, pkceChallenge, sameState } from './pkce';

describe('PKCE', () => {
  it('makes a 32-byte base64url verifier and its S256 challenge', () => {
    const p = createPkce();
    expect(p.method).toBe('S256');
    expect(Buffer.from(p.verifier, 'base64url')).toHaveLength(32);
    expect(p.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.challenge).toBe(createHash('sha256').update(p.verifier).digest('base64url'));
  });

  it('matches the RFC 7636 appendix B example', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('uses the random source it is given, and fresh values each time', () => {
    const fixed = (n: number) => Buffer.alloc(n, 7);
    expect(createPkce(fixed).verifier).toBe(Buffer.alloc(32, 7).toString('base64url'));
    expect(createPkce().verifier).not.toBe(createPkce().verifier);
  });
});

describe('state', () => {
  it('is 32 random bytes and compared exactly', () => {
    const s = createOAuthState();
    expect(Buffer.from(s, 'base64url')).toHaveLength(32);
    expect(createOAuthState()).not.toBe(s);
    expect(sameState(s, s)).toBe(true);
    expect(sameState(s, `${s}x`)).toBe(false);
    expect(sameState(s, s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(sameState(s, null)).toBe(false);
  });
});

describe('forge hosts', () => {
  it('derives github.com and GHES endpoints the same way', () => {
    expect(forgeEndpoints(githubDotCom('Iv1.abc'))).toEqual({
      authorize: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      deviceCode: 'https://github.com/login/device/code',
      revoke: null,
      api: 'https://api.github.com',
    });
    const ghes = githubEnterpriseHost('https://ghe.acme.example/', 'Iv1.abc');
    expect(ghes.id).toBe('ghe.acme.example');
    expect(forgeEndpoints(ghes).api).toBe('https://ghe.acme.example/api/v3');
    expect(forgeEndpoints(ghes).authorize).toBe('https://ghe.acme.example/login/oauth/authorize');
  });

  it('refuses plain http except to a loopback address, and URLs with credentials', () => {
    expect(() => githubEnterpriseHost('http://ghe.acme.example', 'x')).toThrow(/https/);
    expect(() => githubEnterpriseHost('https://u:p@ghe.acme.example', 'x')).toThrow(/credentials/);
    expect(() => githubEnterpriseHost('http://localhost:8080', 'x')).toThrow(/https/);
    expect(githubEnterpriseHost('http://127.0.0.1:8080', 'x').apiUrl).toBe('http://127.0.0.1:8080/api/v3');
    expect(() => validateForgeHost({ id: 'x', type: 'github', webUrl: 'https://a.example/sub', apiUrl: 'https://a.example/api/v3', clientId: 'c' })).toThrow(/origin/);
  });

  it('resolves a repository URL to its host, owner and name', () => {
    const hosts = [githubDotCom('c'), githubEnterpriseHost('https://ghe.acme.example', 'c')];
    expect(resolveRepoUrl(hosts, 'https://github.com/acme/fleet-config.git')).toMatchObject({ owner: 'acme', name: 'fleet-config', host: { id: 'github.com' } });
    expect(resolveRepoUrl(hosts, 'https://ghe.acme.example/acme/fleet/')).toMatchObject({ owner: 'acme', name: 'fleet', host: { id: 'ghe.acme.example' } });
    expect(resolveRepoUrl(hosts, 'https://gitlab.com/acme/fleet')).toBeNull();
    expect(resolveRepoUrl(hosts, 'https://github.com/acme')).toBeNull();
  });
});
