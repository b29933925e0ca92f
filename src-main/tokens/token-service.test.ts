// Which Secret each promoted-into environment relies on (pure), and the service's handling
// of contexts it cannot reach, without a cluster.

import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../log/logger';
import { pipeline } from '../pipelines/test-objects';
import { collectTokenUses, createTokenService } from './token-service';

const pr = (secret: string, url = 'https://github.com/acme/config') => ({ strategy: { 'pull-request': { type: 'github', url, baseBranch: 'main', secretRef: { name: secret } } } });
const envs = (names: string[], prodPromotion?: unknown) =>
  names.map((name) => ({ name, targets: [{ namespace: `${name}-ns` }], ...(name === 'prod' && prodPromotion ? { promotion: prodPromotion } : {}) }));

describe('collectTokenUses', () => {
  it('resolves the effective strategy per promoted-into environment, with environment overrides', () => {
    const raw = pipeline('team-a', 'app', envs(['dev', 'staging', 'prod'], { manual: true, ...pr('app-prod') }), { promotion: pr('app-default') });
    const { uses, refs } = collectTokenUses(new Map([['mgmt', new Map([['team-a/app', raw]])]]));
    expect(uses.map((u) => [u.environment, u.secretName, u.strategySource])).toEqual([
      ['staging', 'app-default', 'pipeline'],
      ['prod', 'app-prod', 'environment'],
    ]);
    expect(refs).toEqual([
      {
        pipelineId: 'team-a/app',
        context: 'mgmt',
        namespace: 'team-a',
        pipeline: 'app',
        environments: [
          { environment: 'staging', strategy: 'pull-request' },
          { environment: 'prod', strategy: 'pull-request' },
        ],
      },
    ]);
  });

  it('marks a pipeline-wide Secret that no promoted-into environment uses', () => {
    const raw = pipeline('team-a', 'app', envs(['staging', 'prod'], pr('app-prod')), { promotion: pr('app-default') });
    const { uses } = collectTokenUses(new Map([['mgmt', new Map([['team-a/app', raw]])]]));
    expect(uses.map((u) => [u.environment, u.secretName, u.referenceOnly === true])).toEqual([
      ['prod', 'app-prod', false],
      ['(pipeline default)', 'app-default', true],
    ]);
  });

  it('names pipelines by context when several management clusters are read, and survives malformed ones', () => {
    const a = pipeline('team-a', 'app', envs(['dev', 'prod']), { promotion: pr('s') });
    const broken = { apiVersion: 'pipelines.weave.works/v1alpha1', kind: 'Pipeline', metadata: { name: 'x', namespace: 'team-a' }, spec: 'nonsense' };
    const { uses, refs } = collectTokenUses(
      new Map([
        [
          'eu',
          new Map<string, unknown>([
            ['team-a/app', a],
            ['team-a/x', broken],
          ]),
        ],
        ['us', new Map([['team-a/app', a]])],
      ]),
    );
    expect(uses.map((u) => u.pipelineId)).toEqual(['team-a/app@eu', 'team-a/app@us']);
    expect(refs.find((r) => r.pipeline === 'x')?.environments).toEqual([]);
  });

  it('lists notification strategies without a token and says when nothing uses one', () => {
    const raw = pipeline('team-a', 'app', envs(['dev', 'prod']), { promotion: { strategy: { notification: {} } } });
    const { uses, refs, problems } = collectTokenUses(new Map([['mgmt', new Map([['team-a/app', raw]])]]));
    expect(uses).toEqual([]);
    expect(refs[0]?.environments).toEqual([{ environment: 'prod', strategy: 'notification' }]);
    expect(problems.map((p) => p.code)).toEqual(['no-pull-request-strategy']);
  });
});

describe('createTokenService without a reachable cluster', () => {
  it('reports a cluster error per Secret for an unknown context and for a dead API server', async () => {
    const dead = new KubeConfig();
    dead.loadFromOptions({
      clusters: [{ name: 'dead', server: 'https://127.0.0.1:9', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'dead', cluster: 'dead', user: 'u' }],
      currentContext: 'dead',
    });
    const raw = pipeline('team-a', 'app', envs(['dev', 'prod']), { promotion: pr('app-promotion') });
    const logger = createMemoryLogger();
    const service = createTokenService({
      mayContactHost: () => true,
      pipelines: () =>
        new Map([
          ['dead', new Map([['team-a/app', raw]])],
          ['gone', new Map([['team-b/app', pipeline('team-b', 'app', envs(['dev', 'prod']), { promotion: pr('b') })]])],
        ]),
      kubeconfigFor: (context) => {
        if (context === 'dead') return dead;
        throw new Error(`Unknown kubeconfig context "${context}"`);
      },
      logger,
    });
    const report = await service.report();
    expect(report.entries.map((e) => [e.key, e.state])).toEqual([
      ['secret:dead/team-a/app-promotion', 'cluster-error'],
      ['secret:gone/team-b/b', 'cluster-error'],
    ]);
    expect(report.entries[1]?.stateDetail).toBe('no kubeconfig context "gone": Unknown kubeconfig context "gone"');
    expect(report.entries[0]?.stateLabel).toBe('the cluster could not be asked');
    expect(logger.records.some((r) => r.level === 'warn' && r.message.includes('team-a/app-promotion'))).toBe(true);
  });
});

describe('avatars', () => {
  it('come only from the approved forge, its subdomains or its known avatar host', async () => {
    const { avatarHostAllowed } = await import('./token-service');
    const approved = (host: string) => host === 'github.com' || host === 'ghe.acme.example';
    expect(avatarHostAllowed('https://avatars.githubusercontent.com/u/1', 'github.com', approved)).toBe(true);
    expect(avatarHostAllowed('https://ghe.acme.example/avatars/u/1', 'ghe.acme.example', approved)).toBe(true);
    expect(avatarHostAllowed('https://avatars.ghe.acme.example/u/1', 'ghe.acme.example', approved)).toBe(true);
    expect(avatarHostAllowed('https://tracker.evil.example/pixel.png', 'ghe.acme.example', approved)).toBe(false);
    expect(avatarHostAllowed('https://avatars.githubusercontent.com/u/1', 'evil.example', approved)).toBe(false);
  });
});
