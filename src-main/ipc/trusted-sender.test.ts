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
