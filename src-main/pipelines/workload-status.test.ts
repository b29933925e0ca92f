import { describe, expect, it } from 'vitest';
import { healthOf, readWorkload, readableRevision } from './workload-status';
import { condition, helmRelease } from './test-objects';

const SHA1 = 'abcdef0123456789abcdef0123456789abcdef01';
const SHA256 = 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210';

describe('readableRevision', () => {
  it.each([
    [`v1.2.0@sha1:${SHA1}`, 'v1.2.0'],
    [`main@sha1:${SHA1}`, 'main@abcdef0'],
    [`refs/heads/release/1.x@sha1:${SHA1}`, 'release/1.x@abcdef0'],
    [`refs/tags/stable@sha1:${SHA1}`, 'stable'],
    [`latest@sha256:${SHA256}`, 'latest@sha256:fedcba987654'],
    [`6.0.0@sha256:${SHA256}`, '6.0.0'],
    [`sha256:${SHA256}`, 'sha256:fedcba987654'],
    [`main/${SHA1}`, 'main@abcdef0'],
    [SHA1, 'abcdef0'],
    ['1.8.3', '1.8.3'],
    ['1.8.3+abcdef', '1.8.3+abcdef'],
  ])('%s → %s', (raw, readable) => {
    expect(readableRevision(raw)).toBe(readable);
  });
});

describe('healthOf', () => {
  const obj = (conditions: unknown[], extra: Record<string, unknown> = {}) => ({
    metadata: { generation: 2 },
    spec: {},
    status: { observedGeneration: 2, conditions },
    ...extra,
  });
  it.each([
    [[condition('Ready', 'True')], 'ready'],
    [[condition('Ready', 'False')], 'failed'],
    [[condition('Ready', 'Unknown')], 'reconciling'],
    [[condition('Ready', 'False'), condition('Reconciling', 'True')], 'reconciling'],
    [[condition('Ready', 'False'), condition('Stalled', 'True')], 'stalled'],
    [[condition('Ready', 'True'), condition('Healthy', 'False')], 'failed'],
    [[], 'unknown'],
    [['junk', { type: 5 }], 'unknown'],
  ])('%j → %s', (conditions, health) => {
    expect(healthOf(obj(conditions)).health).toBe(health);
  });

  it('treats spec.suspend as suspended whatever the conditions', () => {
    expect(healthOf({ spec: { suspend: true }, status: { conditions: [condition('Ready', 'False')] } }).health).toBe('suspended');
  });

  it('treats a Ready condition for an older generation as reconciling', () => {
    const o = obj([condition('Ready', 'True')]);
    o.status.observedGeneration = 1;
    expect(healthOf(o).health).toBe('reconciling');
  });

  it('says an object with a deletionTimestamp is being deleted, not behind (deletion bumps generation)', () => {
    const o = obj([condition('Ready', 'True')], { metadata: { generation: 3, deletionTimestamp: '2026-11-20T12:00:00Z', finalizers: ['finalizers.fluxcd.io'] } });
    expect(healthOf(o)).toEqual({ health: 'reconciling', message: 'Being deleted (requested 2026-11-20T12:00:00Z); Flux is removing it' });
  });

  it('carries the failing condition message', () => {
    expect(healthOf(obj([condition('Ready', 'False', 'InstallFailed', 'chart not found')]))).toEqual({
      health: 'failed',
      message: 'chart not found',
    });
  });
});

describe('readWorkload', () => {
  it('reads HelmRelease v2 from the newest deployed history entry', () => {
    const hr = helmRelease('ns', 'app', '1.8.3', { requested: '1.8.x', attempted: '1.8.4' });
    (hr.status as Record<string, unknown>).history = [
      { chartName: 'app', chartVersion: '1.8.4', status: 'failed', version: 4, lastDeployed: '2026-01-04T00:00:00Z' },
      { chartName: 'app', chartVersion: '1.8.3', status: 'deployed', version: 3, lastDeployed: '2026-01-03T00:00:00Z' },
      { chartName: 'app', chartVersion: '1.8.2', status: 'superseded', version: 2 },
    ];
    const r = readWorkload(hr);
    expect(r.deployedVersion).toBe('1.8.3');
    expect(r.lastDeployedAt).toBe('2026-01-03T00:00:00Z');
    expect(r.requestedVersion).toBe('1.8.x');
    expect(r.inFlightVersion).toBe('1.8.4');
    expect(r.servedApiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(r.health).toBe('ready');
  });

  it('lists Helm history newest first by release version, at most ten, whatever order the status keeps', () => {
    const entries = Array.from({ length: 12 }, (_, i) => ({ chartVersion: `1.0.${i + 1}`, status: i === 11 ? 'deployed' : 'superseded', version: i + 1 }));
    const versions = (history: unknown[]) => {
      const hr = helmRelease('ns', 'app', '1.0.12');
      (hr.status as Record<string, unknown>).history = history;
      return readWorkload(hr).history?.map((h) => h.version);
    };
    const newestFirst = ['1.0.12', '1.0.11', '1.0.10', '1.0.9', '1.0.8', '1.0.7', '1.0.6', '1.0.5', '1.0.4', '1.0.3'];
    expect(versions([...entries].reverse())).toEqual(newestFirst); // as helm-controller writes it
    expect(versions(entries)).toEqual(newestFirst); // oldest first
    // without release versions, list order stands
    expect(
      versions([
        { chartVersion: '2.0.0', status: 'deployed' },
        { chartVersion: '1.0.0', status: 'superseded' },
      ]),
    ).toEqual(['2.0.0', '1.0.0']);
  });

  it('reads HelmRelease v2beta1/v2beta2 from lastAppliedRevision', () => {
    for (const apiVersion of ['helm.toolkit.fluxcd.io/v2beta1', 'helm.toolkit.fluxcd.io/v2beta2']) {
      const r = readWorkload(helmRelease('ns', 'app', '2.0.0', { apiVersion }));
      expect(r.deployedVersion).toBe('2.0.0');
      expect(r.inFlightVersion).toBeUndefined();
    }
  });

  it('reads Kustomization revisions, falling back to history metadata', () => {
    const k = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'k', namespace: 'n' },
      status: { lastAppliedRevision: `main@sha1:${SHA1}`, lastAttemptedRevision: `main@sha1:${'1'.repeat(40)}`, conditions: [condition('Ready', 'True')] },
    };
    const r = readWorkload(k);
    expect(r.deployedVersion).toBe('main@abcdef0');
    expect(r.deployedRevision).toBe(`main@sha1:${SHA1}`);
    expect(r.inFlightVersion).toBe('main@1111111');

    const newer = { ...k, status: { history: [{ metadata: { revision: `v2.0.0@sha1:${SHA1}` }, lastReconciled: '2026-02-01T00:00:00Z' }] } };
    const r2 = readWorkload(newer);
    expect(r2.deployedVersion).toBe('v2.0.0');
    expect(r2.lastDeployedAt).toBe('2026-02-01T00:00:00Z');
  });

  it('survives garbage', () => {
    for (const junk of [null, 1, 'x', { status: { history: 'no' } }, { kind: 'HelmRelease', status: { history: [null, 1] } }]) {
      const r = readWorkload(junk);
      expect(r.deployedVersion).toBeUndefined();
      expect(['unknown', 'suspended']).toContain(r.health);
    }
  });
});
