import { describe, expect, it } from 'vitest';
import { deepLinkInArgs, parseDeepLink } from './deep-link';

describe('release-board:// deep links', () => {
  it('open a Pipeline, an environment of it, or one on a named management cluster', () => {
    expect(parseDeepLink('release-board://pipeline/apps/checkout')).toEqual({ pipelineId: 'apps/checkout', environment: '' });
    expect(parseDeepLink('release-board://pipeline/apps/checkout/prod')).toEqual({ pipelineId: 'apps/checkout', environment: 'prod' });
    expect(parseDeepLink('release-board://pipeline/apps/checkout/prod?context=kind-mgmt')).toEqual({ pipelineId: 'apps/checkout@kind-mgmt', environment: 'prod' });
  });

  it.each([
    'https://evil.example/pipeline/apps/checkout',
    'release-board://settings/open',
    'release-board://pipeline/apps',
    'release-board://pipeline/apps/checkout/prod/extra',
    'release-board://pipeline/Apps/checkout',
    'release-board://pipeline/apps/check%2Fout',
    'release-board://pipeline/apps/checkout?context=%3Cscript%3E',
    'release-board://pipeline/apps/%E0%A4%A',
    'not a url',
    `release-board://pipeline/apps/${'a'.repeat(3000)}`,
  ])('refuses %s', (raw) => {
    expect(parseDeepLink(raw)).toBeUndefined();
  });

  it('finds the link among a second instance’s arguments', () => {
    expect(deepLinkInArgs(['/opt/Release Board/release-board', '--no-sandbox-never', 'release-board://pipeline/a/b'])).toBe('release-board://pipeline/a/b');
    expect(deepLinkInArgs(['/opt/Release Board/release-board'])).toBeUndefined();
  });
});
