import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SecretLocation, TokenUse } from '../common/tokens';
import { githubTokenKind, tokenFingerprint } from '../forges/token-facts';
import { assessTokenRisks, guidance, type RiskFacts } from './token-risks';

const now = new Date('2026-11-22T00:00:00Z');

function secret(ns: string, name: string, youCanGet: 'yes' | 'no' | 'unknown' = 'no'): SecretLocation {
  return { context: 'mgmt', namespace: ns, name, hasToken: true, hasUsername: false, hasPassword: false, access: { youCanGet, youCanListNamespace: 'unknown', method: 'read-attempt', summary: '' } };
}

function use(pipeline: string, ns = 'team-a'): TokenUse {
  return {
    pipelineId: `${ns}/${pipeline}`,
    context: 'mgmt',
    namespace: ns,
    pipeline,
    environment: 'prod',
    provider: 'github',
    repoUrl: 'https://github.com/acme/config',
    secretName: `${pipeline}-promotion`,
    strategySource: 'pipeline',
  };
}

function facts(over: Partial<RiskFacts>): RiskFacts {
  return {
    state: 'valid',
    kind: 'github-fine-grained',
    scopes: null,
    expiresAt: '2027-01-30T00:00:00Z',
    identity: { login: 'bot', type: 'Bot' },
    provider: 'github',
    uses: [use('a')],
    secrets: [secret('team-a', 'a-promotion')],
    ...over,
  };
}

const ids = (f: RiskFacts) => assessTokenRisks(f, now).map((r) => r.id);

describe('token risks', () => {
  it('makes a missing Secret, a Secret without a token key and an unreadable Secret risks with a fix', () => {
    const missing = assessTokenRisks(facts({ state: 'secret-missing', kind: undefined, expiresAt: undefined, identity: undefined, secrets: [] }), now);
    expect(missing.map((r) => r.id)).toEqual(['secret-missing']);
    expect(missing[0]).toMatchObject({ severity: 'high', title: 'The promotion Secret does not exist', guidance: guidance.createSecret });
    expect(missing[0]?.detail).toContain('team-a/a-promotion');
    expect(missing[0]?.saferAlternative).toContain('under token, username and password');
    const keyless = assessTokenRisks(
      facts({ state: 'key-missing', kind: undefined, expiresAt: undefined, identity: undefined, secrets: [{ ...secret('team-a', 'a-promotion'), hasToken: false }] }),
      now,
    );
    expect(keyless.map((r) => r.id)).toEqual(['token-key-missing']);
    expect(keyless[0]?.saferAlternative).toContain('into team-a/a-promotion. Store it in the Secret under token, username and password');
    const unreadable = assessTokenRisks(facts({ state: 'cluster-error', kind: undefined, expiresAt: undefined, identity: undefined, secrets: [] }), now);
    expect(unreadable.map((r) => r.id)).toEqual(['secret-unreadable']);
    expect(unreadable[0]?.saferAlternative).toContain('Re-check');
  });

  it('finds nothing wrong with a fine-grained bot token in a Secret you cannot read', () => {
    expect(ids(facts({}))).toEqual([]);
  });

  it('flags a never-expiring classic PAT with repo scope owned by a person', () => {
    const risks = assessTokenRisks(facts({ kind: 'github-classic', scopes: ['repo', 'read:user'], expiresAt: null, identity: { login: 'bob', type: 'User' } }), now);
    expect(risks.map((r) => r.id)).toEqual(['no-expiry', 'broad-scope', 'personal-account']);
    expect(risks[1]?.title).toBe('Broad scopes: repo');
    expect(risks.every((r) => r.saferAlternative.length > 20 && r.guidance.startsWith('docs/token-guidance.md#'))).toBe(true);
    expect(risks[2]?.detail).toContain('Every automated promotion PR appears as authored by bob');
  });

  it('names scopes beyond repo', () => {
    const r = assessTokenRisks(facts({ kind: 'github-classic', scopes: ['repo', 'admin:org', 'workflow'] }), now).find((x) => x.id === 'broad-scope');
    expect(r?.detail).toContain('admin:org, workflow go further still');
  });

  it('ranks GitLab scopes as GitLab does: write_repository only pushes, api reaches the whole API', () => {
    const gl = (scopes: string[]) =>
      assessTokenRisks(facts({ kind: 'gitlab-access-token', provider: 'gitlab', scopes, identity: { login: 'carol', type: 'User' } }), now).find((x) => x.id === 'broad-scope');
    const both = gl(['api', 'write_repository']);
    expect(both?.detail).toBe(
      'These scopes can push to every repository its user can reach, not only the config repository; api reaches the whole API as its user — project settings, members, other projects and groups — not only Git.',
    );
    expect(both?.detail).not.toMatch(/write_repository go/);
    expect(gl(['write_repository'])?.detail).toBe('This scope can push to every repository its user can reach, not only the config repository.');
  });

  it('warns 14 days before expiry, not 15', () => {
    expect(ids(facts({ expiresAt: '2026-12-05T00:00:00Z' }))).toEqual(['expires-soon']);
    // the same whole days as the Tokens view (relativeDays): 4.6 days is "in 4 days"
    expect(assessTokenRisks(facts({ expiresAt: '2026-11-26T15:00:00Z' }), now)[0]?.title).toBe('The token expires in 4 days');
    expect(ids(facts({ expiresAt: '2026-12-07T01:00:00Z' }))).toEqual([]);
  });

  it('flags a token shared across namespaces as high', () => {
    const r = assessTokenRisks(facts({ uses: [use('a'), use('b', 'team-b')], secrets: [secret('team-a', 'a-promotion'), secret('team-b', 'b-promotion')] }), now);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ id: 'shared-token', severity: 'high', title: 'The same token is used by 2 pipelines across 2 namespaces' });
  });

  it('says when you can read the Secret, and not for a missing one', () => {
    expect(ids(facts({ secrets: [secret('team-a', 'a-promotion', 'yes')] }))).toEqual(['secret-readable-by-you']);
    expect(ids(facts({ secrets: [{ ...secret('team-a', 'a-promotion', 'yes'), hasToken: false }] }))).toEqual([]);
    expect(ids(facts({ secrets: [secret('team-a', 'a-promotion', 'unknown')] }))).toEqual(['secret-access-unknown']);
  });

  it('flags a stored token that no promotion uses', () => {
    expect(ids(facts({ uses: [{ ...use('a'), environment: '(pipeline default)', referenceOnly: true }] }))).toEqual(['unused-token']);
  });

  it('puts an expired or revoked token first', () => {
    expect(ids(facts({ state: 'revoked-or-expired', kind: 'github-classic', scopes: undefined, expiresAt: undefined, identity: undefined }))).toEqual(['expired-or-revoked']);
  });
});

describe('token facts', () => {
  it('fingerprints with the first 8 hex of SHA-256', () => {
    expect(tokenFingerprint('abc')).toBe('ba7816bf');
  });

  it('recognises GitHub prefixes', () => {
    expect(githubTokenKind('ghp_x')).toBe('github-classic');
    expect(githubTokenKind('github_pat_x')).toBe('github-fine-grained');
    expect(githubTokenKind('gho_x')).toBe('github-oauth');
    expect(githubTokenKind('ghu_x')).toBe('github-app-user');
    expect(githubTokenKind('ghs_x')).toBe('github-installation');
    expect(githubTokenKind('0123456789abcdef0123456789abcdef01234567')).toBe('github-classic');
    expect(githubTokenKind('something')).toBe('unknown');
  });
});

describe('guidance links', () => {
  it('point at headings that exist in docs/token-guidance.md', () => {
    const doc = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/token-guidance.md'), 'utf8');
    // GitHub-style heading slugs: lower case, punctuation dropped, spaces to hyphens.
    const slugs = new Set(
      [...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const link of Object.values(guidance)) {
      const [file, anchor] = link.split('#');
      expect(file).toBe('docs/token-guidance.md');
      expect(slugs.has(anchor!), anchor).toBe(true);
    }
    expect(doc).toContain('kind: RoleBinding');
    expect(doc).toContain('Pull requests: Read and');
  });
});
