import { describe, expect, it } from 'vitest';
import { publishedForgeCapabilities } from '../../testing/forge-capabilities';
import { capabilitiesOfStrategy, changeRequestWords, changeRequestWordsFor, forgeLabel, forgeTypeOptions, nounForCount, offersDeviceFlow, reportsTokenLastUse } from './forge-capabilities';

describe('forge capabilities in the renderer', () => {
  const published = publishedForgeCapabilities;

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

describe('change-request words from the published capabilities', () => {
  it("uses each forge's noun, short form and reference sign, found by strategy provider", () => {
    const gitlab = changeRequestWordsFor(publishedForgeCapabilities, 'gitlab');
    expect(gitlab).toMatchObject({ noun: 'merge request', capital: 'Merge request', article: 'a merge request', short: 'MR' });
    expect(gitlab.ref(12)).toBe('!12');
    expect(changeRequestWordsFor(publishedForgeCapabilities, 'github').ref(12)).toBe('#12');
    expect(capabilitiesOfStrategy(publishedForgeCapabilities, 'gitlab')?.type).toBe('gitlab');
  });

  it('words a forge main did not describe (or before it answered) in the general term, with an unknown number as ?', () => {
    const general = changeRequestWordsFor([], 'gitlab');
    expect(general).toMatchObject({ noun: 'pull request', short: 'PR' });
    expect(general.ref(undefined)).toBe('#?');
    expect(capabilitiesOfStrategy(publishedForgeCapabilities, 'bitbucket')).toBeUndefined();
    expect(capabilitiesOfStrategy(publishedForgeCapabilities, undefined)).toBeUndefined();
  });

  it('takes "an" before a vowel, for a forge whose noun starts with one', () => {
    expect(changeRequestWords({ pullRequestNoun: 'approval request', pullRequestShort: 'AR', pullRequestPrefix: '%' }).article).toBe('an approval request');
  });

  it('names a batch that spans forges by what the nouns share', () => {
    expect(nounForCount(['pull request', 'pull request'], 2)).toBe('pull requests');
    expect(nounForCount(['merge request'], 1)).toBe('merge request');
    expect(nounForCount(['pull request', 'merge request'], 5)).toBe('pull/merge requests');
    expect(nounForCount(['pull request', 'change list'], 2)).toBe('pull requests or change lists');
    expect(nounForCount([], 0)).toBe('pull requests');
  });
});
