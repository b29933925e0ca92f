import { describe, expect, it } from 'vitest';
import { safeExternalUrl } from './safe-link';

describe('safeExternalUrl', () => {
  it.each(['https://github.com/acme/fleet/pull/3', 'http://127.0.0.1:4010/acme/fleet/pull/2', 'https://gitlab.acme.example/g/s/p/-/merge_requests/1'])('keeps %s', (url) =>
    expect(safeExternalUrl(url)).toBe(url),
  );
  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>1</script>',
    'file:///etc/passwd',
    'http://evil.example/',
    'https://user:pw@github.com/',
    'not a url',
    '',
    null,
    undefined,
  ])('refuses %s', (url) => expect(safeExternalUrl(url)).toBeUndefined());
});
