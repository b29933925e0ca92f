import { describe, expect, it } from 'vitest';
import { toProviderError } from './github-provider';
import { missingScopes } from '../git-provider';

const httpError = (status: number, headers: Record<string, string> = {}, data: unknown = { message: 'Nope' }) =>
  Object.assign(new Error(`HttpError ${status}`), { status, response: { headers, data } });

describe('toProviderError', () => {
  it('keeps the scopes GitHub reports with a refusal, so missing scope and missing access can be told apart', () => {
    const lacking = toProviderError(httpError(404, { 'x-oauth-scopes': 'read:user', 'x-accepted-oauth-scopes': 'repo' }), 'x');
    expect(lacking.scopes).toEqual({ granted: ['read:user'], accepted: ['repo'] });
    expect(missingScopes(lacking.scopes)).toEqual(['repo']);
    expect(missingScopes(toProviderError(httpError(404, { 'x-oauth-scopes': 'repo, read:user', 'x-accepted-oauth-scopes': 'repo' }), 'x').scopes)).toEqual([]);
    expect(missingScopes(toProviderError(httpError(403, { 'x-oauth-scopes': 'gist', 'x-accepted-oauth-scopes': '' }), 'x').scopes)).toEqual(['repo']);
    // fine-grained and app tokens carry no scopes header: nothing to blame but access
    expect(toProviderError(httpError(403), 'x').scopes).toBeUndefined();
  });

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
