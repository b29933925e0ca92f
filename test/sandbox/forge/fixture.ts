// A small forge seed and helpers shared by the forge's own tests.
import { isoDaysFrom, isoSeconds } from '../clock.js';
import type { SeedForge } from '../seeds/types.js';

export const TOKENS = {
  classic: 'ghp_classicAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  classicNoRepo: 'ghp_readonlyBBBBBBBBBBBBBBBBBBBBBBBBBBBBB',
  fineGrained: 'github_pat_11AAAAAAA0fineGrainedWriteCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC',
  fineGrainedRead: 'github_pat_11AAAAAAA0fineGrainedReadDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD',
  oauth: 'gho_oauthEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE',
  installation: 'ghs_installationFFFFFFFFFFFFFFFFFFFFFFFFF',
  revoked: 'ghp_revokedGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG',
  expiring: 'ghp_expiringHHHHHHHHHHHHHHHHHHHHHHHHHHHHH',
  outsider: 'ghp_outsiderIIIIIIIIIIIIIIIIIIIIIIIIIIIII',
} as const;

/**
 * The forge tests' seed. Every date is relative to `now` (the forge's clock in the test), so
 * no expiry in it ever passes: pass the same instant the forge runs on.
 */
export function forgeSeed(now: Date = new Date()): SeedForge {
  return {
    users: [
      { login: 'alice', name: 'Alice Release', type: 'User', email: 'alice@example.test' },
      { login: 'bob', name: 'Bob Builder', type: 'User' },
      { login: 'mallory', name: 'Mallory Outsider', type: 'User' },
      { login: 'promoter[bot]', name: 'promoter', type: 'Bot' },
    ],
    tokens: [
      { value: TOKENS.classic, login: 'alice', kind: 'classic', scopes: ['repo', 'read:org'], expiresAt: null },
      { value: TOKENS.classicNoRepo, login: 'alice', kind: 'classic', scopes: ['read:user'], expiresAt: null },
      {
        value: TOKENS.fineGrained,
        login: 'bob',
        kind: 'fine-grained',
        scopes: [],
        expiresAt: isoDaysFrom(now, 30),
        repositories: ['acme/fleet'],
        permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
      },
      {
        value: TOKENS.fineGrainedRead,
        login: 'bob',
        kind: 'fine-grained',
        scopes: [],
        expiresAt: null,
        repositories: ['acme/fleet'],
        permissions: { contents: 'read', pull_requests: 'read' },
      },
      { value: TOKENS.oauth, login: 'alice', kind: 'oauth', scopes: ['repo'], expiresAt: null },
      {
        value: TOKENS.installation,
        login: 'promoter[bot]',
        kind: 'installation',
        scopes: [],
        expiresAt: isoSeconds(new Date(now.getTime() + 3_600_000)),
        repositories: ['acme/fleet'],
        permissions: { contents: 'write', pull_requests: 'write' },
      },
      { value: TOKENS.revoked, login: 'alice', kind: 'classic', scopes: ['repo'], expiresAt: null, revoked: true },
      { value: TOKENS.expiring, login: 'alice', kind: 'classic', scopes: ['repo'], expiresAt: isoDaysFrom(now, 7) },
      { value: TOKENS.outsider, login: 'mallory', kind: 'classic', scopes: ['repo'], expiresAt: null },
    ],
    repos: [
      {
        owner: 'acme',
        name: 'fleet',
        defaultBranch: 'main',
        files: {
          'README.md': '# fleet\n',
          'apps/podinfo/staging/release.yaml': 'version: 6.5.0 # {"$promotion": "podinfo"}\n',
          'apps/podinfo/prod/release.yaml': 'version: 6.4.0 # {"$promotion": "podinfo"}\n',
        },
        pushers: ['alice', 'bob', 'promoter[bot]'],
      },
    ],
    pulls: [
      {
        repo: 'acme/fleet',
        head: 'promote/podinfo-staging',
        base: 'main',
        title: 'Promote podinfo 6.5.1 to staging',
        body: 'Automated promotion',
        author: 'promoter[bot]',
        files: { 'apps/podinfo/staging/release.yaml': 'version: 6.5.1 # {"$promotion": "podinfo"}\n' },
        createdAt: isoDaysFrom(now, -3),
      },
    ],
    oauthApps: [
      { clientId: 'Iv1.classicapp0001', clientSecret: 'secret-classic', name: 'Release Board', expiringTokens: false, callbackPath: '/callback' },
      { clientId: 'Iv1.expiringapp002', clientSecret: 'secret-expiring', name: 'Release Board App', expiringTokens: true, callbackPath: '/oauth/callback' },
    ],
    signInUser: 'alice',
  };
}

/** The expiry the seed gave a token (tests compare the forge's headers with it). */
export function seededExpiry(seed: SeedForge, value: string): string {
  const expiresAt = seed.tokens.find((t) => t.value === value)?.expiresAt;
  if (!expiresAt) throw new Error('forge fixture: that token has no expiry');
  return expiresAt;
}

/** Waits until `check` returns a value, polling on a short timer, bounded. */
export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads a ustar archive back into path → content (regular files only). */
export function readTar(tar: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (start: number, len: number): string =>
      h
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
    if (parseInt(field(148, 8).trim(), 8) !== sum) throw new Error(`tar: bad checksum at ${off}`);
    const data = tar.subarray(off + 512, off + 512 + size);
    if (type === '0' || type === '') out.set(prefix ? `${prefix}/${name}` : name, data.toString('utf8'));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
