import { describe, expect, it } from 'vitest';
import { appUrlMatcher } from './trusted-sender';

describe('app URL matcher', () => {
  it('matches the packaged page file, ignoring query and hash', () => {
    const isApp = appUrlMatcher('file:///opt/rb/out/renderer/index.html');
    expect(isApp('file:///opt/rb/out/renderer/index.html#/board?q=x')).toBe(true);
    expect(isApp('file:///opt/rb/out/renderer/other.html')).toBe(false);
    expect(isApp('file:///etc/passwd')).toBe(false);
  });

  it('matches the development server by origin only', () => {
    const isApp = appUrlMatcher('http://localhost:5173/');
    expect(isApp('http://localhost:5173/index.html')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('garbage')).toBe(false);
  });
});

describe('app URL matcher for the app:// scheme', () => {
  const isApp = appUrlMatcher('app://release-board/index.html');

  it('matches any page of the app’s own host', () => {
    expect(isApp('app://release-board/index.html#/tokens')).toBe(true);
    expect(isApp('app://release-board/assets/index.js')).toBe(true);
  });

  it('refuses other hosts and the opaque origins that share URL.origin "null"', () => {
    expect(isApp('app://evil/index.html')).toBe(false);
    expect(isApp('data:text/html,<script>1</script>')).toBe(false);
    expect(isApp('blob:null/1234')).toBe(false);
    expect(isApp('other://release-board/index.html')).toBe(false);
    expect(isApp('file:///index.html')).toBe(false);
  });
});
