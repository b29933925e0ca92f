import { describe, expect, it } from 'vitest';
import { toProviderError } from './github-provider';

const httpError = (status: number, headers: Record<string, string> = {}, data: unknown = { message: 'Nope' }) =>
  Object.assign(new Error(`HttpError ${status}`), { status, response: { headers, data } });

describe('toProviderError', () => {
  it('maps GitHub status codes to provider-neutral kinds', () => {
    expect(toProviderError(httpError(401), 'x').kind).toBe('unauthorized');
    expect(toProviderError(httpError(403), 'x').kind).toBe('forbidden');
    expect(toProviderError(httpError(404), 'x').kind).toBe('not-found');
    expect(toProviderError(httpError(422, {}, { message: 'Validation Failed', errors: [{ message: 'A pull request already exists for acme:b.' }] }), 'open').message).toBe(
      'open: Validation Failed: A pull request already exists for acme:b.',
    );
    expect(toProviderError(httpError(502), 'x').kind).toBe('unavailable');
    expect(toProviderError(new TypeError('fetch failed'), 'x').kind).toBe('unavailable');
  });

  it('recognises primary and secondary rate limits with the wait', () => {
    const secondary = toProviderError(httpError(403, { 'retry-after': '30' }), 'x');
    expect(secondary).toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 30 });
    const reset = Math.floor(Date.now() / 1000) + 120;
    const primary = toProviderError(httpError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }), 'x');
    expect(primary.kind).toBe('rate-limited');
    expect(primary.retryAfterSeconds).toBeGreaterThan(100);
    expect(primary.retryAfterSeconds).toBeLessThanOrEqual(121);
  });
});
