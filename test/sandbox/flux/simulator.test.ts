// The Flux simulator against real sandbox cluster stores loaded with the demo seed, driven by
// synthetic forge commits and a manual clock (no real time passes, no sleeps).

import { beforeEach, describe, expect, it } from 'vitest';
import { sandboxCrdDir } from '../index';
import { KubeStore } from '../kube/store';
import { ResourceRegistry, loadCrdDir, typeKey } from '../kube/resources';
import { buildDemoSeed } from '../seeds/demo';
import type { KubeObject, Seed, SeedContext } from '../seeds/types';
import { type FluxCommitEvent, type FluxEvent, type FluxSimulator, type FluxSkip, type ManualClock, manualClock, startFluxSimulator } from './simulator';

const CRD_DIR = sandboxCrdDir();
const registry = new ResourceRegistry(loadCrdDir(CRD_DIR));
/** The simulation's pinned clock: the seed is built for it and the manual clock starts at it. */
const SEED_NOW = new Date('2026-11-20T12:00:00Z');
const ctx: SeedContext = {
  now: () => SEED_NOW,
  clusters: {
    mgmt: { server: 'https://127.0.0.1:1', caData: 'Y2E=' },
    'staging-eu': { server: 'https://127.0.0.1:2', caData: 'Y2E=' },
    'prod-eu': { server: 'https://127.0.0.1:3', caData: 'Y2E=' },
  },
  forge: { url: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9/api/v3' },
};
const DELAY = 100;
const REPO = 'acme/fleet-config';
const SHA_BEFORE = 'a'.repeat(40);
const SHA_AFTER = 'b'.repeat(40);

interface Env {
  seed: Seed;
  stores: Map<string, KubeStore>;
  clock: ManualClock;
  flux: FluxSimulator;
  emit(event: FluxCommitEvent): void;
  events: FluxEvent[];
  skips: FluxSkip[];
}

function setup(): Env {
  const seed = buildDemoSeed(ctx);
  const stores = new Map<string, KubeStore>();
  for (const c of seed.clusters) {
    const store = new KubeStore(registry);
    for (const obj of c.objects) store.apply(obj);
    stores.set(c.name, store);
  }
  const listeners = new Set<(e: FluxCommitEvent) => void>();
  const clock = manualClock(SEED_NOW);
  const flux = startFluxSimulator({
    clusters: [...stores].map(([name, store]) => ({ name, store })),
    forge: { onCommit: (l) => (listeners.add(l), () => listeners.delete(l)) },
    delayMs: DELAY,
    clock,
  });
  const events: FluxEvent[] = [];
  const skips: FluxSkip[] = [];
  flux.onEvent((e) => events.push(e));
  flux.onSkip((s) => skips.push(s));
  return { seed, stores, clock, flux, emit: (e) => listeners.forEach((l) => l(e)), events, skips };
}

function fileOf(seed: Seed, path: string): string {
  const content = seed.forge.repos[0]?.files[path];
  if (content === undefined) throw new Error(`no ${path} in the demo repo`);
  return content;
}

function commitChanging(seed: Seed, path: string, from: string, to: string, branch = 'main'): FluxCommitEvent {
  const before = fileOf(seed, path);
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  return { repo: REPO, branch, before: SHA_BEFORE, after: SHA_AFTER, changedFiles: [{ path, before, after }] };
}

function helmRelease(env: Env, cluster: string, ns: string, name: string) {
  const obj = env.stores.get(cluster)?.get('helm.toolkit.fluxcd.io', 'HelmRelease', ns, name);
  if (!obj) throw new Error(`no HelmRelease ${cluster}/${ns}/${name}`);
  return obj as KubeObject & {
    spec: { suspend?: boolean; chart: { spec: { version: string } } };
    status: { history: { chartVersion: string; status: string; version: number }[]; conditions: { type: string; status: string; message: string }[]; lastAttemptedRevision: string };
  };
}

const condition = (obj: { status: { conditions: { type: string; status: string }[] } }, type: string) => obj.status.conditions.find((c) => c.type === type)?.status;

describe('flux simulator', () => {
  let env: Env;
  beforeEach(() => {
    env = setup();
  });

  it('moves a HelmRelease through spec → Reconciling → Ready with a new history entry after a merged marker change', async () => {
    const store = env.stores.get('prod-eu') as KubeStore;
    const seen: string[] = [];
    store.subscribe(typeKey('helm.toolkit.fluxcd.io', 'helmreleases'), (ev) => {
      const o = ev.entry.obj as ReturnType<typeof helmRelease>;
      if (o.metadata.name === 'checkout') seen.push(`${ev.type} spec=${o.spec.chart.spec.version} ready=${condition(o, 'Ready')} reconciling=${condition(o, 'Reconciling') ?? '-'}`);
    });
    const changes = env.flux.handleCommit(commitChanging(env.seed, 'apps/checkout/prod/helmrelease.yaml', '"1.8.1"', '"1.8.2"'));
    expect(changes).toMatchObject([{ namespace: 'team-payments', name: 'checkout', env: 'prod', from: '1.8.1', to: '1.8.2' }]);
    expect(seen).toEqual([]); // nothing happens before the delay
    await env.clock.advance(DELAY);
    expect(helmRelease(env, 'prod-eu', 'payments', 'checkout').spec.chart.spec.version).toBe('1.8.2');
    await env.clock.advance(DELAY);
    await env.flux.idle();
    expect(seen).toEqual(['MODIFIED spec=1.8.2 ready=True reconciling=-', 'MODIFIED spec=1.8.2 ready=Unknown reconciling=True', 'MODIFIED spec=1.8.2 ready=True reconciling=-']);
    const hr = helmRelease(env, 'prod-eu', 'payments', 'checkout');
    expect(hr.status.history[0]).toMatchObject({ chartVersion: '1.8.2', status: 'deployed' });
    expect(hr.status.history[1]).toMatchObject({ chartVersion: '1.8.1', status: 'superseded' });
    expect(hr.status.history[0]?.version).toBe((hr.status.history[1]?.version ?? 0) + 1);
    expect(hr.status.lastAttemptedRevision).toBe('1.8.2');
    expect(env.events).toMatchObject([{ outcome: 'deployed', version: '1.8.2', target: { cluster: 'prod-eu', name: 'checkout' }, pipeline: { env: 'prod' } }]);
  });

  it('ignores commits on other branches, other repos and branch creation', async () => {
    env.emit(commitChanging(env.seed, 'apps/checkout/prod/helmrelease.yaml', '"1.8.1"', '"1.8.2"', 'promotion-team-payments-checkout-prod'));
    env.emit({ ...commitChanging(env.seed, 'apps/checkout/prod/helmrelease.yaml', '"1.8.1"', '"1.8.2"'), repo: 'acme/other' });
    env.emit({ ...commitChanging(env.seed, 'apps/checkout/prod/helmrelease.yaml', '"1.8.1"', '"1.8.2"'), before: '0'.repeat(40) });
    await env.clock.advance(DELAY * 4);
    await env.flux.idle();
    expect(helmRelease(env, 'prod-eu', 'payments', 'checkout').spec.chart.spec.version).toBe('1.8.1');
    expect(env.events).toEqual([]);
    expect(env.skips.map((s) => s.reason)).toEqual([expect.stringContaining('Flux follows main'), expect.stringContaining('not acme/other')]);
  });

  it('updates every target of a multi-target environment and reports targets outside the sandbox', async () => {
    env.emit(commitChanging(env.seed, 'apps/fraud-detector/staging/mgmt/helmrelease.yaml', 'version: 0.9.4', 'version: 0.9.5'));
    env.emit(commitChanging(env.seed, 'apps/ranker/staging/staging-eu/helmrelease.yaml', '"2.0.7"', '"2.0.8"'));
    await env.clock.advance(DELAY * 2);
    await env.flux.idle();
    expect(helmRelease(env, 'mgmt', 'payments-staging', 'fraud-detector').status.history[0]?.chartVersion).toBe('0.9.5');
    expect(helmRelease(env, 'staging-eu', 'payments', 'fraud-detector').status.history[0]?.chartVersion).toBe('0.9.5');
    expect(helmRelease(env, 'staging-eu', 'search', 'ranker').status.history[0]?.chartVersion).toBe('2.0.8');
    expect(env.skips).toMatchObject([{ change: { name: 'ranker', env: 'staging' }, reason: expect.stringContaining('staging-us') }]);
  });

  it('sets a branch-tracking Kustomization to the merge commit', async () => {
    env.emit(commitChanging(env.seed, 'apps/search-ui/prod/kustomization.yaml', '"3.2.0"', '"3.3.0"'));
    await env.clock.advance(DELAY * 2);
    await env.flux.idle();
    const ks = env.stores.get('prod-eu')?.get('kustomize.toolkit.fluxcd.io', 'Kustomization', 'search', 'search-ui') as KubeObject & {
      status: { lastAppliedRevision: string; conditions: { type: string; status: string }[] };
    };
    expect(ks.status.lastAppliedRevision).toBe(`main@sha1:${SHA_AFTER}`);
    expect(ks.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('fails upgrades of a target marked failing, and recovers it', async () => {
    const ref = { cluster: 'prod-eu', namespace: 'payments', name: 'checkout' };
    env.flux.setTargetFailing(ref, 'Helm upgrade failed: pre-upgrade hooks failed');
    expect(condition(helmRelease(env, 'prod-eu', 'payments', 'checkout'), 'Ready')).toBe('False');
    const done = env.flux.setVersion(ref, '1.9.0');
    await env.clock.advance(DELAY * 2);
    expect(await done).toMatchObject({ outcome: 'failed', reason: 'Helm upgrade failed: pre-upgrade hooks failed' });
    const hr = helmRelease(env, 'prod-eu', 'payments', 'checkout');
    expect(hr.status.history[0]).toMatchObject({ chartVersion: '1.9.0', status: 'failed' });
    expect(hr.status.history[1]).toMatchObject({ chartVersion: '1.8.1', status: 'deployed' });
    expect(hr.status.conditions.find((c) => c.type === 'Ready')?.message).toContain('pre-upgrade hooks failed');
    env.flux.setTargetFailing(ref, null);
    expect(condition(helmRelease(env, 'prod-eu', 'payments', 'checkout'), 'Ready')).toBe('True');
  });

  it('leaves a suspended HelmRelease undeployed until it is resumed', async () => {
    const ref = { cluster: 'prod-eu', namespace: 'search', name: 'query-gateway' };
    env.emit(commitChanging(env.seed, 'apps/query-gateway/prod/helmrelease.yaml', 'version: 3.0.1', 'version: 3.0.2'));
    await env.clock.advance(DELAY * 2);
    await env.flux.idle();
    let hr = helmRelease(env, 'prod-eu', 'search', 'query-gateway');
    expect(hr.spec.chart.spec.version).toBe('3.0.2');
    expect(hr.status.history[0]?.chartVersion).toBe('3.0.1');
    expect(env.events.map((e) => e.outcome)).toEqual(['suspended']);
    env.flux.suspendTarget(ref, false);
    await env.clock.advance(DELAY * 2);
    await env.flux.idle();
    hr = helmRelease(env, 'prod-eu', 'search', 'query-gateway');
    expect(hr.spec.suspend).toBeUndefined();
    expect(hr.status.history[0]?.chartVersion).toBe('3.0.2');
  });

  it('keeps per-target Pipeline status and approvals consistent where the Pipeline reports them', async () => {
    env.emit(commitChanging(env.seed, 'apps/cert-manager/staging/helmrelease.yaml', '"v1.16.2"', '"v1.16.3"'));
    env.emit(commitChanging(env.seed, 'apps/ledger/prod/release-values.yaml', 'version: 2.3.5', 'version: 2.4.0'));
    await env.clock.advance(DELAY * 2);
    await env.flux.idle();
    const mgmt = env.stores.get('mgmt') as KubeStore;
    const cert = mgmt.get('pipelines.weave.works', 'Pipeline', 'platform', 'cert-manager') as KubeObject & { status: { environments: Record<string, { targets: { revision?: string }[] }> } };
    expect(cert.status.environments.staging?.targets[0]?.revision).toBe('v1.16.3');
    expect(cert.status.environments.prod?.targets[0]?.revision).toBe('v1.16.2');
    const ledger = mgmt.get('pipelines.weave.works', 'Pipeline', 'team-payments', 'ledger') as KubeObject & { status: { environments?: Record<string, { waitingApproval?: unknown }> } };
    expect(ledger.status.environments?.prod?.waitingApproval).toBeUndefined();
  });

  it('turns a store failure mid-reconciliation into a reported skip instead of an unhandled rejection', async () => {
    const ref = { cluster: 'prod-eu', namespace: 'payments', name: 'checkout', kind: 'HelmRelease' as const };
    const done = env.flux.setVersion(ref, '1.9.0');
    await env.clock.advance(DELAY); // step one done: spec patched, Reconciling set
    const store = env.stores.get('prod-eu') as KubeStore;
    const realPatchStatus = store.patchStatus.bind(store);
    store.patchStatus = () => {
      throw new Error('injected store failure');
    };
    try {
      await env.clock.advance(DELAY);
      expect(await done).toMatchObject({ outcome: 'skipped', reason: 'reconciliation failed: injected store failure' });
    } finally {
      store.patchStatus = realPatchStatus;
    }
    expect(env.events.at(-1)?.outcome).toBe('skipped');
  });

  it('reports a missing app object instead of creating it, and stops cleanly with work pending', async () => {
    const missing = env.flux.setVersion({ cluster: 'prod-eu', namespace: 'search', name: 'autocomplete', kind: 'HelmRelease' }, '1.4.0');
    await env.clock.advance(DELAY);
    expect(await missing).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('not found') });
    const pending = env.flux.setVersion({ cluster: 'prod-eu', namespace: 'payments', name: 'checkout' }, '2.0.0');
    env.flux.stop();
    expect(await pending).toMatchObject({ outcome: 'skipped', reason: 'simulator stopped' });
    await env.flux.idle();
    expect(helmRelease(env, 'prod-eu', 'payments', 'checkout').spec.chart.spec.version).toBe('1.8.1');
    expect(env.clock.pendingTimers()).toBe(0);
  });
});
