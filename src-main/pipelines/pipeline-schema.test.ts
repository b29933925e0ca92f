import { describe, expect, it } from 'vitest';
import { PIPELINE_LIMITS, parsePipeline } from './pipeline-schema';
import { pipeline } from './test-objects';

describe('parsePipeline', () => {
  it('reads a well-formed pipeline with env overrides and status', () => {
    const raw = pipeline(
      'team',
      'checkout',
      [
        { name: 'dev', targets: [{ namespace: 'dev' }] },
        {
          name: 'prod',
          targets: [{ namespace: 'prod', clusterRef: { kind: 'GitopsCluster', name: 'prod-eu' } }],
          promotion: { manual: true, strategy: { notification: {} } },
        },
      ],
      { status: { environments: { prod: { waitingApproval: { revision: '1.8.2' } } } } },
    );
    const parsed = parsePipeline(raw);
    expect(parsed.problems).toEqual([]);
    expect(parsed.namespace).toBe('team');
    expect(parsed.appRef?.kind).toBe('HelmRelease');
    expect(parsed.environments.map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(parsed.environments[1]?.promotion?.manual).toBe(true);
    expect(parsed.status.get('prod')?.waitingApprovalRevision).toBe('1.8.2');
  });

  it.each([null, undefined, 42, 'pipeline', [], { metadata: 'x' }])('never throws on %j', (raw) => {
    const parsed = parsePipeline(raw, 'ns/fallback');
    expect(parsed.name).toBe('fallback');
    expect(parsed.problems.length).toBeGreaterThan(0);
    expect(parsed.problems[0]?.code).toBe('malformed-pipeline');
  });

  it('reports wrong types with a path, keeping the valid environments', () => {
    const raw = pipeline('team', 'app', [
      { name: 'dev', targets: [{ namespace: 'dev' }] },
      { name: 'staging', targets: 'not-an-array' as never },
      { name: 'prod', targets: [{ namespace: 42 as never }, { namespace: 'prod' }] },
    ]);
    const parsed = parsePipeline(raw);
    expect(parsed.environments.map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(parsed.environments[1]?.targets).toEqual([{ namespace: 'prod' }]);
    const messages = parsed.problems.map((p) => p.message).join('\n');
    expect(messages).toContain('spec.environments[1].targets');
    expect(messages).toContain('spec.environments[2].targets[0].namespace');
  });

  it('flags a missing appRef but still parses environments', () => {
    const raw = { metadata: { name: 'a', namespace: 'b' }, spec: { environments: [{ name: 'dev', targets: [] }] } };
    const parsed = parsePipeline(raw);
    expect(parsed.appRef).toBeNull();
    expect(parsed.environments).toHaveLength(1);
    expect(parsed.problems.some((p) => p.message.startsWith('spec.appRef'))).toBe(true);
  });

  it('caps huge arrays and says so', () => {
    const envs = Array.from({ length: 5000 }, (_, i) => ({ name: `e${i}`, targets: [{ namespace: 'x' }] }));
    const parsed = parsePipeline(pipeline('n', 'p', envs));
    expect(parsed.environments).toHaveLength(PIPELINE_LIMITS.environments);
    expect(parsed.problems.some((p) => p.message.includes('5000 entries'))).toBe(true);

    const targets = Array.from({ length: PIPELINE_LIMITS.targetsPerEnvironment + 1 }, () => ({ namespace: 'x' }));
    const tooMany = parsePipeline(pipeline('n', 'p', [{ name: 'dev', targets }]));
    expect(tooMany.environments).toHaveLength(0);
    expect(tooMany.problems[0]?.message).toContain('spec.environments[0].targets');
  });

  it('ignores __proto__ keys and does not pollute prototypes', () => {
    const json =
      '{"metadata":{"name":"p","namespace":"n","__proto__":{"polluted":true}},"spec":{"__proto__":{"environments":[]},' +
      '"appRef":{"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","name":"p"},' +
      '"environments":[{"name":"__proto__","targets":[{"namespace":"x"}]},{"name":"constructor","targets":[]}]},' +
      '"status":{"environments":{"__proto__":{"waitingApproval":{"revision":"9.9.9"}}}}}';
    const parsed = parsePipeline(JSON.parse(json));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.environments.map((e) => e.name)).toEqual(['__proto__', 'constructor']);
    expect(parsed.status.get('__proto__')?.waitingApprovalRevision).toBe('9.9.9');
    expect(parsed.status.has('constructor')).toBe(false);
  });

  it('rejects duplicate environment names and non-HTTPS promotion URLs', () => {
    const pr = { type: 'github', url: 'http://github.com/acme/repo', baseBranch: 'main', secretRef: { name: 's' } };
    const parsed = parsePipeline(
      pipeline(
        'n',
        'p',
        [
          { name: 'dev', targets: [] },
          { name: 'dev', targets: [] },
        ],
        { promotion: { strategy: { 'pull-request': pr } } },
      ),
    );
    expect(parsed.environments).toHaveLength(1);
    expect(parsed.problems.map((p) => p.code)).toEqual(['promotion-url-not-https', 'malformed-pipeline']);
    const local = parsePipeline(pipeline('n', 'p', [], { promotion: { strategy: { 'pull-request': { ...pr, url: 'http://127.0.0.1:8080/acme/repo' } } } }));
    expect(local.problems).toEqual([]);
  });

  it('reads newer-controller status targets', () => {
    const parsed = parsePipeline(
      pipeline('n', 'p', [{ name: 'prod', targets: [{ namespace: 'x', clusterRef: { kind: 'GitopsCluster', name: 'eu' } }] }], {
        status: {
          environments: {
            prod: {
              targets: [{ clusterAppRef: { apiVersion: 'v', kind: 'HelmRelease', name: 'p', clusterRef: { kind: 'GitopsCluster', name: 'eu' } }, ready: true, revision: '1.2.3' }, 'garbage'],
            },
          },
        },
      }),
    );
    expect(parsed.status.get('prod')?.targets).toEqual([{ clusterName: 'eu', ready: true, revision: '1.2.3' }]);
  });
});
