import { describe, expect, it } from 'vitest';
import type { ForgeCapabilities } from '../../../src-main/common/forges';
import { forgeLabel, forgeTypeOptions, offersDeviceFlow, reportsTokenLastUse } from './forge-capabilities';

describe('forge capabilities in the renderer', () => {
  // as main's registry publishes them (src-main/forges/registry.test.ts checks that side)
  const base = { pullRequestNoun: 'pull request', pullRequestShort: 'PR', pullRequestPrefix: '#', exampleWebUrl: 'https://git.example.com' };
  const published: ForgeCapabilities[] = [
    { ...base, type: 'github', label: 'GitHub', deviceFlow: true, reportsTokenLastUse: false, strategyProviders: ['github'] },
    { ...base, type: 'gitlab', label: 'GitLab', deviceFlow: false, reportsTokenLastUse: true, strategyProviders: ['gitlab'] },
  ];

  it('names each forge and tells which offer a device code and report a token last use', () => {
    expect(forgeLabel(published, 'gitlab')).toBe('GitLab');
    expect(offersDeviceFlow(published, 'github')).toBe(true);
    expect(offersDeviceFlow(published, 'gitlab')).toBe(false);
    expect(reportsTokenLastUse(published, 'github')).toBe(false);
    expect(reportsTokenLastUse(published, 'gitlab')).toBe(true);
  });

  it('falls back to neutral wording and no device flow before main answered', () => {
    expect(forgeLabel([], 'github')).toBe('github');
    expect(offersDeviceFlow([], 'github')).toBe(false);
  });

  it("offers the forge types main described, keeping a row's current type", () => {
    expect(forgeTypeOptions(published, 'gitlab').map((o) => o.label)).toEqual(['GitHub', 'GitLab']);
    expect(forgeTypeOptions(published.slice(0, 1), 'gitlab').map((o) => o.type)).toEqual(['gitlab', 'github']);
  });
});
