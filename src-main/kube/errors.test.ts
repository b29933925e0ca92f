import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { describeKubeError, toExecPluginError, toKubeRequestError } from './errors';
import { resolveServedVersion } from './kube-transport';

describe('toKubeRequestError', () => {
  it('reads the Status body of a client-node ApiException and drops its header dump', () => {
    const body = JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'helmreleases is forbidden: User "viewer" cannot list' });
    const e = toKubeRequestError(new ApiException(403, 'Forbidden', body, { authorization: 'Bearer secret-token' }));
    expect(e).toMatchObject({ kind: 'http', status: 403, reason: 'Forbidden' });
    expect(e.message).toBe('helmreleases is forbidden: User "viewer" cannot list');
    expect(describeKubeError(e)).toContain('Forbidden');
    expect(JSON.stringify({ m: e.message, d: describeKubeError(e) })).not.toContain('secret-token');
  });
  it('classifies watch status errors, network failures and timeouts', () => {
    expect(toKubeRequestError(Object.assign(new Error('Gone'), { statusCode: 410 }))).toMatchObject({ kind: 'http', status: 410 });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    const net = toKubeRequestError(refused);
    expect(net.kind).toBe('network');
    expect(net.message).toContain('ECONNREFUSED');
    expect(toKubeRequestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).kind).toBe('network');
    expect(toKubeRequestError('weird').kind).toBe('other');
  });
  it('explains a 401 as rejected credentials', () => {
    expect(describeKubeError(toKubeRequestError(new ApiException(401, 'Unauthorized', undefined, {})))).toMatch(/^Unauthorized: the credentials/);
  });
});

describe('toExecPluginError', () => {
  it('maps a missing plugin and a failing one to clear messages', () => {
    const missing = toExecPluginError(Object.assign(new Error('spawn aws ENOENT'), { code: 'ENOENT' }), 'aws');
    expect(missing.kind).toBe('exec-plugin-missing');
    expect(missing.message).toContain('"aws" could not be started (ENOENT)');
    const failed = toExecPluginError(new Error('\nerror: SSO session expired\nrun aws sso login\n'), 'aws');
    expect(failed.kind).toBe('exec-plugin-failed');
    expect(failed.message).toBe('Credential plugin "aws" failed: error: SSO session expired run aws sso login');
  });
});

describe('resolveServedVersion', () => {
  const served = new Map([['helm.toolkit.fluxcd.io', ['v2', 'v2beta2']]]);
  it('keeps a served version, falls back to the preferred one, or reports a missing group', () => {
    expect(resolveServedVersion('helm.toolkit.fluxcd.io/v2beta2', served)).toMatchObject({ served: 'v2beta2', status: 'served' });
    expect(resolveServedVersion('helm.toolkit.fluxcd.io/v2beta1', served)).toEqual({ group: 'helm.toolkit.fluxcd.io', asked: 'v2beta1', served: 'v2', status: 'fallback' });
    expect(resolveServedVersion('kustomize.toolkit.fluxcd.io/v1', served).status).toBe('group-missing');
  });
});
