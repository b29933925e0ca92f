import { describe, expect, it } from 'vitest';
import { defaultExternalLinkPolicy, isAllowedExternalUrl } from './external-links';

const policy = { ...defaultExternalLinkPolicy, extraOrigins: ['http://127.0.0.1:4010'] };

describe('external link policy', () => {
  it.each(['https://github.com/acme/fleet-config/pull/3', 'https://gist.github.com/x', 'https://gitlab.com/group/sub/project/-/merge_requests/1', 'http://127.0.0.1:4010/acme/fleet-config/pull/2'])(
    'allows %s',
    (url) => expect(isAllowedExternalUrl(url, policy)).toBe(true),
  );

  it.each([
    'http://github.com/acme',
    'https://evil.example/github.com',
    'https://github.com.evil.example/',
    'https://user:pass@github.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'http://127.0.0.1:4011/',
    'not a url',
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url, policy)).toBe(false));
});
