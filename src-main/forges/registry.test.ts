import { describe, expect, it } from 'vitest';
import { forgeCapabilities, forgeKindFor, repoUrlOfPullRequest } from './registry';

describe('forge registry', () => {
  it('publishes each forge capabilities from its own entry (the renderer keeps no list)', () => {
    const caps = forgeCapabilities();
    expect(caps.map((c) => c.type)).toEqual(['github', 'gitlab']);
    expect(caps.find((c) => c.type === 'github')).toMatchObject({ deviceFlow: true, pullRequestPrefix: '#', reportsTokenLastUse: false });
    expect(caps.find((c) => c.type === 'gitlab')).toMatchObject({ deviceFlow: false, pullRequestPrefix: '!', pullRequestShort: 'MR' });
    // a capability says what the entry does, not what someone remembered
    for (const c of caps) expect(c.deviceFlow).toBe(forgeKindFor(c).oauth.device !== null);
  });

  it("publishes each forge's change-request words, which the renderer uses instead of testing a forge's name", () => {
    const words = (type: string) => {
      const c = forgeCapabilities().find((f) => f.type === type);
      return [c?.pullRequestNoun, c?.pullRequestShort, c?.pullRequestPrefix, c?.strategyProviders];
    };
    expect(words('github')).toEqual(['pull request', 'PR', '#', ['github']]);
    expect(words('gitlab')).toEqual(['merge request', 'MR', '!', ['gitlab']]);
  });

  it('turns a PR or merge-request URL into its repository URL, by the forge that writes it', () => {
    expect(repoUrlOfPullRequest('https://github.com/acme/fleet/pull/12')).toBe('https://github.com/acme/fleet');
    expect(repoUrlOfPullRequest('https://gitlab.example.com/platform/infra/fleet/-/merge_requests/7')).toBe('https://gitlab.example.com/platform/infra/fleet');
    expect(repoUrlOfPullRequest('https://github.com/acme/fleet/issues/12')).toBeNull();
    expect(repoUrlOfPullRequest('https://github.com/acme/fleet/pull/12/files')).toBeNull();
  });
});
