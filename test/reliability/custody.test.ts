// Custody and trust boundaries (issue: "no token leaves for a host nobody approved, and main
// decides what is promoted"), attacked as someone who can write a Pipeline in a cluster, or who
// controls the renderer, would: against the demo sandbox, through the services' dispatcher — the
// same handlers the renderer reaches over IPC.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src-main/common/result';
import type { TokenReport } from '../../src-main/common/tokens';
import { createMemoryLogger } from '../../src-main/log/logger';
import { createMainServices, type MainServices } from '../../src-main/services';
import { openMemorySettingsStore, type SettingsStore } from '../../src-main/settings/settings-store';
import { waitFor } from '../../src-main/kube/test-helpers';
import { sandboxForgeHostsEnv } from '../harness/external-browser';
import { previewAppInfo } from '../harness/preview-server';
import { pipeline, pullRequestStrategy } from '../sandbox/seeds/builders';
import { startSandbox, type Sandbox } from '../sandbox/index';

let sandbox: Sandbox;
let hostile: Server;
let hostileHost: string;
const hostileRequests: Array<{ method: string; url: string; authorization?: string }> = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo', fluxDelayMs: 50 });
  // A server that would harvest any token sent to it.
  hostile = createServer((req: IncomingMessage, res) => {
    hostileRequests.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"login":"harvester"}');
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileHost = `127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  // The attacker's Pipeline: sorted first, its repository on the hostile host, and its secretRef
  // reusing a real promotion Secret of the same namespace.
  const mgmt = sandbox.cluster(sandbox.info.managementCluster);
  mgmt.api.store.apply(hostilePipeline('aaa-evil', 'ingress-nginx-promotion'));
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => hostile?.close(() => resolve()));
  await sandbox?.stop();
});

/** The attacker's Pipeline: its repository on the hostile host, its secretRef naming `secret` in the same namespace. */
function hostilePipeline(name: string, secret: string) {
  return pipeline({
    name,
    namespace: 'platform',
    appRef: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name },
    environments: [
      { name: 'dev', targets: [{ namespace: 'ingress-dev' }] },
      { name: 'prod', targets: [{ namespace: 'ingress-dev' }] },
    ],
    promotion: { strategy: pullRequestStrategy(`http://${hostileHost}/evil/repo`, secret) },
    now: new Date(),
  });
}

async function servicesWith(settings: SettingsStore, extra: Partial<Parameters<typeof createMainServices>[0]> = {}): Promise<MainServices> {
  return createMainServices({
    appInfo: await previewAppInfo(),
    logger: createMemoryLogger(),
    kubeconfigPath: sandbox.kubeconfig,
    env: { RELEASE_BOARD_FORGE_HOSTS: sandboxForgeHostsEnv(sandbox.info, { expiringTokens: true }) },
    settings,
    ...extra,
  });
}

function secretReads(): number {
  const log = sandbox.cluster(sandbox.info.managementCluster).api.requestLog;
  return log.entries().filter((e) => e.path.includes('/secrets')).length;
}

describe('custody: tokens go only to approved Git hosts', () => {
  it('reads no Secret until the user chose to, and says so', async () => {
    const services = await servicesWith(openMemorySettingsStore());
    const before = secretReads();
    const listed = (await services.dispatcher.dispatch('tokens:list', undefined)) as Result<TokenReport>;
    expect(listed).toMatchObject({ ok: true, value: { secretReading: 'not-enabled', entries: [] } });
    expect(secretReads()).toBe(before);
    expect(hostileRequests).toEqual([]);
    await services.stop();
  });

  it('sends no token to a host a Pipeline names, shows it as not checked, and approves only a host main reported', async () => {
    const services = await servicesWith(openMemorySettingsStore({ readPromotionSecrets: true }));
    const listed = (await services.dispatcher.dispatch('tokens:list', undefined)) as Result<TokenReport>;
    if (!listed.ok) throw new Error(listed.error.message);
    // the Secrets were really read and the sandbox forge really asked (the service works) ...
    expect(listed.value.entries.some((e) => e.state === 'valid' || e.state === 'expiring-soon')).toBe(true);
    // ... but the hostile server received nothing, and the evil pipeline's use is "not checked"
    expect(hostileRequests).toEqual([]);
    const evil = listed.value.entries.find((e) => e.uses.some((u) => u.pipeline === 'aaa-evil'));
    expect(evil).toBeDefined();
    // the reused Secret is still checked for the legitimate pipeline at the approved forge;
    // nothing about the evil use travelled to the hostile host
    const evilUse = listed.value.entries.flatMap((e) => e.uses).find((u) => u.pipeline === 'aaa-evil');
    expect(evilUse?.repoUrl).toContain(hostileHost);

    // The renderer cannot approve a host main did not report as waiting for approval.
    const forged = await services.dispatcher.dispatch('tokens:approve-host', { host: 'evil.example' });
    expect(forged).toMatchObject({ ok: false, error: { code: 'not-approvable' } });
    await services.stop();
  });

  it('a Secret used only by the hostile pipeline is "not checked" with the host to approve; approval is asked in main', async () => {
    const mgmt = sandbox.cluster(sandbox.info.managementCluster);
    mgmt.api.store.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'evil-only', namespace: 'platform' },
      type: 'Opaque',
      data: { token: Buffer.from('ghp_evilOnlyTokenAAAAAAAAAAAAAAAAAAAAAAAA').toString('base64') },
    } as never);
    mgmt.api.store.apply(hostilePipeline('aaa-evil-2', 'evil-only'));
    const asked: string[] = [];
    let answer = false;
    const settings = openMemorySettingsStore({ readPromotionSecrets: true });
    const services = await servicesWith(settings, {
      confirmHostApproval: async (host) => {
        asked.push(host);
        return answer;
      },
    });
    const listed = (await services.dispatcher.dispatch('tokens:list', undefined)) as Result<TokenReport>;
    if (!listed.ok) throw new Error(listed.error.message);
    const entry = listed.value.entries.find((e) => e.secrets.some((s) => s.name === 'evil-only'));
    expect(entry).toMatchObject({ state: 'host-not-approved', unapprovedHost: hostileHost, stateDetail: `not checked: ${hostileHost} is not an approved Git host` });
    expect(hostileRequests).toEqual([]);

    // The user says no in main's own dialog: nothing is saved, nothing is sent.
    expect(await services.dispatcher.dispatch('tokens:approve-host', { host: hostileHost })).toMatchObject({ ok: false, error: { code: 'approval-declined' } });
    expect(asked).toEqual([hostileHost]);
    expect(settings.get().approvedForgeHosts).toEqual([]);
    expect(hostileRequests).toEqual([]);

    // The user says yes: the host is stored and checked (the token goes there because a person chose it).
    answer = true;
    const approved = await services.dispatcher.dispatch('tokens:approve-host', { host: hostileHost });
    expect(approved.ok).toBe(true);
    expect(settings.get().approvedForgeHosts).toEqual([hostileHost]);
    expect(hostileRequests.length).toBeGreaterThan(0);
    await services.stop();
  });
});

describe('custody: main decides what is promoted', () => {
  it('refuses a forged promotion request; versions, repositories and strategies from the renderer are not accepted', async () => {
    const services = await servicesWith(openMemorySettingsStore());
    await waitFor(async () => (await services.board.snapshot()).pipelines.some((p) => p.id === 'team-payments/checkout'), 'checkout on the board');
    const pullsBefore = sandbox.forge.server.state.listPulls('acme/fleet-config').length;
    // the old, renderer-trusting shape: refused by the contract
    const oldShape = await services.dispatcher.dispatch('promotion:plan', {
      pipelineNamespace: 'team-payments',
      pipelineName: 'checkout',
      targetEnv: 'prod',
      version: '6.6.6-never-built',
      strategy: { kind: 'pull-request', manual: false, provider: 'github', repoUrl: `${sandbox.forge.url}/acme/fleet-config`, baseBranch: 'main', source: 'pipeline' },
    } as never);
    expect(oldShape).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    // a revision no approval gate waits for
    for (const revision of ['6.6.6-never-built', '[click](https://evil.example/x)', '@acme/admins', '1.0<img/src=x>', '1.0\u202e']) {
      const forged = await services.dispatcher.dispatch('promotion:plan', { pipelineId: 'team-payments/checkout', targetEnv: 'prod', revision });
      expect(forged, revision).toMatchObject({ ok: false, error: { code: 'not-eligible' } });
    }
    // a pipeline the board does not have
    expect(await services.dispatcher.dispatch('promotion:plan', { pipelineId: 'team-payments/nope', targetEnv: 'prod' })).toMatchObject({ ok: false, error: { code: 'not-eligible' } });
    expect(sandbox.forge.server.state.listPulls('acme/fleet-config').length).toBe(pullsBefore);
    await services.stop();
  });
});

describe('custody: main decides what a rollback sets and where an export goes', () => {
  it('takes no version from the renderer for a rollback, and refuses one main cannot derive', async () => {
    const services = await servicesWith(openMemorySettingsStore());
    await waitFor(async () => (await services.board.snapshot()).pipelines.some((p) => p.id === 'platform/ingress-nginx'), 'ingress-nginx on the board');
    const pullsBefore = sandbox.forge.server.state.listPulls('acme/fleet-config').length;
    const forged = await services.dispatcher.dispatch('promotion:plan-rollback', { pipelineId: 'team-payments/checkout', env: 'prod', reason: 'x', version: '6.6.6' } as never);
    expect(forged).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    // ingress-nginx prod's history has no earlier release: nothing to roll back to
    const unknown = await services.dispatcher.dispatch('promotion:plan-rollback', { pipelineId: 'platform/ingress-nginx', env: 'prod', reason: 'bad rollout' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-eligible', message: expect.stringContaining('The version before 4.10.1 in prod is unknown') } });
    expect(sandbox.forge.server.state.listPulls('acme/fleet-config').length).toBe(pullsBefore);
    await services.stop();
  });

  it('writes an export only through main’s own save dialog, never to a path the renderer names', async () => {
    const saved: string[] = [];
    const services = await servicesWith(openMemorySettingsStore(), { saveReleaseLog: async (name) => (saved.push(name), null) });
    const range = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() };
    expect(await services.dispatcher.dispatch('releases:export', { ...range, format: 'csv', path: '/tmp/evil.csv' } as never)).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(saved).toEqual([]);
    // cancelled in the dialog: nothing saved, and it says so
    expect(await services.dispatcher.dispatch('releases:export', { ...range, format: 'csv' })).toMatchObject({ ok: true, value: { saved: false } });
    expect(saved).toHaveLength(1);
    await services.stop();
  });
});

describe('custody: the renderer never names a kubeconfig file', () => {
  it('refuses a path in settings:update and takes the file only from main’s own dialog', async () => {
    const settings = openMemorySettingsStore();
    const chosen: string[] = [];
    const services = await servicesWith(settings, {
      chooseKubeconfigFile: async () => {
        chosen.push('asked');
        return sandbox.viewerKubeconfig;
      },
    });
    expect(await services.dispatcher.dispatch('settings:update', { kubeconfigPath: '/tmp/attacker-kubeconfig' } as never)).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(settings.get().kubeconfigPath).toBeUndefined();
    const picked = await services.dispatcher.dispatch('settings:choose-kubeconfig', undefined);
    expect(picked).toMatchObject({ ok: true, value: { kubeconfigPath: sandbox.viewerKubeconfig } });
    expect(chosen).toEqual(['asked']);
    // back to the default is allowed: it names no file
    expect(await services.dispatcher.dispatch('settings:update', { kubeconfigPath: null })).toMatchObject({ ok: true });
    expect(settings.get().kubeconfigPath).toBeUndefined();
    await services.stop();
  });

  it('bounds what a settings payload may hold', async () => {
    const settings = openMemorySettingsStore();
    const services = await servicesWith(settings);
    const overrides = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`flux-system/c${i}`, 'ctx']));
    expect(await services.dispatcher.dispatch('settings:update', { clusterContextOverrides: overrides })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(Object.keys(settings.get().clusterContextOverrides)).toHaveLength(0);
    await services.stop();
  });
});

describe('custody: a kubeconfig’s credential plugins run only once the user approved them', () => {
  it('lists the command line, runs nothing until main’s dialog says yes, then connects with it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-exec-'));
    const marker = path.join(dir, 'plugin-ran');
    const plugin = path.join(dir, 'get-token.sh');
    writeFileSync(plugin, `#!/bin/sh\ntouch "${marker}"\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'\n`, { mode: 0o755 });
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, args: ['--cluster', 'c'], interactiveMode: 'Never' } } }],
        contexts: [{ name: 'sent-to-me', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'sent-to-me',
      }),
    );
    let answer = false;
    const asked: string[][] = [];
    const settings = openMemorySettingsStore();
    const services = await servicesWith(settings, { kubeconfigPath: kubeconfig, confirmExecPlugins: async (lines) => (asked.push(lines), answer) });
    const snapshot = await services.board.snapshot();
    const view = (await services.dispatcher.dispatch('settings:get', undefined)) as Result<{ pendingExecPlugins: string[] }>;
    expect(view).toMatchObject({ ok: true, value: { pendingExecPlugins: [`${plugin} --cluster c`] } });
    expect(snapshot.kubeconfig?.warnings.some((w) => w.code === 'exec-plugin-unapproved')).toBe(true);
    // the cluster says why it is not connected
    await waitFor(
      async () => (await services.board.snapshot()).clusters.find((c) => c.name === 'sent-to-me' && c.message?.includes('waits for your approval')),
      'the cluster explains the unapproved plugin',
    );
    expect(existsSync(marker)).toBe(false);

    expect(await services.dispatcher.dispatch('settings:approve-exec-plugins', undefined)).toMatchObject({ ok: false, error: { code: 'approval-declined' } });
    expect(asked).toEqual([[`${plugin} --cluster c`]]);
    expect(settings.get().approvedExecPlugins).toEqual([]);
    expect(existsSync(marker)).toBe(false);

    answer = true;
    expect(await services.dispatcher.dispatch('settings:approve-exec-plugins', undefined)).toMatchObject({ ok: true, value: { pendingExecPlugins: [] } });
    expect(settings.get().approvedExecPlugins).toEqual([`${plugin} --cluster c`]);
    await waitFor(() => existsSync(marker), 'the approved plugin ran', 20_000);
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
