import { describe, expect, it } from 'vitest';
import type { TokenEntry } from '../../../src-main/common/tokens';
import { expiryText, initials, pipelinesOf, relativeDays, scopesText, secretWasRead, shortState, stateTone, whoLabel } from './token-format';

const now = new Date('2026-11-22T00:00:00Z');
const access = { youCanGet: 'no', youCanListNamespace: 'unknown', method: 'read-attempt', summary: '' } as const;
const base: TokenEntry = {
  key: 'abcd1234',
  fingerprint: 'abcd1234',
  state: 'valid',
  stateLabel: 'works',
  kind: 'github-classic',
  secrets: [{ context: 'mgmt', namespace: 'team-a', name: 'a-promotion', hasToken: true, hasUsername: false, hasPassword: false, access }],
  uses: [
    {
      pipelineId: 'team-a/a',
      context: 'mgmt',
      namespace: 'team-a',
      pipeline: 'a',
      environment: 'staging',
      provider: 'github',
      repoUrl: 'https://github.com/acme/c',
      secretName: 'a-promotion',
      strategySource: 'pipeline',
    },
    {
      pipelineId: 'team-a/a',
      context: 'mgmt',
      namespace: 'team-a',
      pipeline: 'a',
      environment: 'prod',
      provider: 'github',
      repoUrl: 'https://github.com/acme/c',
      secretName: 'a-promotion',
      strategySource: 'pipeline',
    },
  ],
  risks: [],
};

describe('token presentation helpers', () => {
  it('names who is behind a token, or where it is stored', () => {
    expect(whoLabel({ ...base, identity: { login: 'promotion-bot', name: 'Promotion Bot', type: 'Bot' } })).toBe('Promotion Bot (@promotion-bot)');
    expect(whoLabel({ ...base, identity: { login: 'bob', type: 'User' } })).toBe('@bob');
    expect(whoLabel(base)).toBe('team-a/a-promotion');
    expect(whoLabel({ ...base, kind: 'github-installation' })).toBe('GitHub App installation');
  });

  it('makes initials from a name or a login, never from the fingerprint', () => {
    expect(initials({ ...base, identity: { login: 'promotion-bot', name: 'Promotion Bot', type: 'Bot' } })).toBe('PB');
    expect(initials({ ...base, identity: { login: 'bob', type: 'User' } })).toBe('BO');
    expect(initials(base)).toBe('?');
  });

  it('describes expiry, scopes and relative days', () => {
    expect(expiryText({ ...base, expiresAt: null }, now)).toBe('never expires');
    expect(expiryText({ ...base, expiresAt: '2026-11-27T00:00:00Z' }, now)).toBe('expires 2026-11-27 (in 5 days)');
    expect(expiryText({ ...base, expiresAt: '2026-11-19T00:00:00Z' }, now)).toBe('expired 2026-11-19 (3 days ago)');
    expect(expiryText(base, now)).toBe('unknown');
    expect(relativeDays('2026-11-22T05:00:00Z', now)).toBe('today');
    // one wording everywhere: 4.6 days is "in 4 days" here and in the risk title
    expect(relativeDays('2026-11-26T15:00:00Z', now)).toBe('in 4 days');
    expect(scopesText({ ...base, scopes: ['repo', 'workflow'] })).toBe('repo, workflow');
    expect(scopesText({ ...base, kind: 'github-fine-grained', scopes: null })).toBe('per-repository permissions (not visible to the token)');
  });

  it('maps states to tones and short words', () => {
    expect(stateTone('valid')).toBe('ok');
    expect(stateTone('expiring-soon')).toBe('warn');
    expect(stateTone('revoked-or-expired')).toBe('bad');
    expect(stateTone('forge-error')).toBe('muted');
    expect(shortState('forbidden')).toBe('no access');
  });

  it('groups uses by pipeline and knows when the Secret was read', () => {
    expect(pipelinesOf(base)).toEqual([{ pipelineId: 'team-a/a', environments: ['staging', 'prod'] }]);
    expect(secretWasRead(base)).toBe(true);
    const { fingerprint: _drop, ...forbidden } = base;
    expect(secretWasRead({ ...forbidden, key: 'secret:mgmt/team-a/a-promotion', state: 'forbidden' })).toBe(false);
  });
});
