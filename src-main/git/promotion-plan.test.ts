import { describe, expect, it } from 'vitest';
import type { PromotionOrder } from '../common/promotion';
import { testEnv, testTarget } from '../common/test-rows';
import { promotionMarker } from './markers';
import { promotionEvidence } from './promotion-evidence';
import { controllerMetadataBlock, editMarkedFiles, parsePromotionMetadata, promotionBody, promotionBranchName, promotionTitle, PromotionFailure, validatePromotionOrder } from './promotion-plan';

const req = (over: Partial<PromotionOrder> = {}): PromotionOrder => ({
  pipelineNamespace: 'flux-system',
  pipelineName: 'podinfo',
  targetEnv: 'prod',
  version: '6.0.1',
  strategy: { kind: 'pull-request', manual: false, provider: 'github', repoUrl: 'https://github.com/acme/fleet', baseBranch: 'main', source: 'pipeline' },
  ...over,
});

const failureCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof PromotionFailure ? e.code : 'other';
  }
  return undefined;
};

describe('conventions shared with the pipeline-controller', () => {
  it('names the branch and title like the controller', () => {
    expect(promotionBranchName('flux-system', 'podinfo', 'prod')).toBe('promotion-flux-system-podinfo-prod');
    expect(promotionTitle('flux-system', 'podinfo', 'prod', '6.0.1')).toBe('Promote flux-system/podinfo in prod to 6.0.1');
  });

  it('puts a human summary above the metadata block other tools look for', () => {
    const body = promotionBody({
      ns: 'flux-system',
      name: 'podinfo',
      env: 'prod',
      version: '6.0.1',
      previous: ['6.0.0', '6.0.0'],
      author: 'rm-alice',
      files: [{ path: 'a.yaml', changes: [{ line: 3, before: 'x', after: 'y' }] }],
    });
    expect(body.indexOf('Promotes **flux-system/podinfo** into **prod**: 6.0.0 → 6.0.1.')).toBe(0);
    expect(body).toContain('- `a.yaml` (line 3)');
    // the controller's block, byte for byte, with its DO NOT EDIT line, closes the body
    expect(body.endsWith('\n<details>\n<summary>metadata</summary>\n!!! DO NOT EDIT !!!\n\nflux-system/podinfo/prod\n</details>')).toBe(true);
    expect(parsePromotionMetadata(body)).toEqual({ pipelineNamespace: 'flux-system', pipelineName: 'podinfo', targetEnv: 'prod' });
  });

  it('adds the evidence main read: the source environment, its targets and since when they run the version healthy', () => {
    const staging = testEnv('staging', 1, [
      testTarget('6.0.1', {
        cluster: 'staging-eu',
        namespace: 'podinfo',
        lastDeployedAt: '2026-03-01T09:00:00Z',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-03-01T09:02:10Z' }],
      }),
      testTarget('6.0.1', {
        cluster: 'staging-us',
        namespace: 'podinfo',
        lastDeployedAt: '2026-03-01T11:30:00Z',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-02-20T08:00:00Z' }],
      }),
      testTarget('6.0.0', { cluster: 'staging-ap', namespace: 'podinfo', health: 'failed' }),
    ]);
    const evidence = promotionEvidence(staging, '6.0.1');
    const body = promotionBody({ ns: 'flux-system', name: 'podinfo', env: 'prod', version: '6.0.1', previous: ['6.0.0'], author: 'rm-alice', files: [], evidence });
    expect(body).toContain('**staging** runs 6.0.1 healthy on 2 of 3 targets.');
    // Ready flipped after the deploy on one target, long before it on the other: the later one counts
    expect(body).toContain('- `staging-eu` / `podinfo`: healthy on 6.0.1 since 2026-03-01T09:02:10Z');
    expect(body).toContain('- `staging-us` / `podinfo`: healthy on 6.0.1 since 2026-03-01T11:30:00Z');
    expect(body).toContain('- `staging-ap` / `podinfo`: runs 6.0.0 (failed), not 6.0.1');
    expect(body.indexOf('Evidence')).toBeLessThan(body.indexOf(controllerMetadataBlock('flux-system', 'podinfo', 'prod')));
    expect(body.endsWith(controllerMetadataBlock('flux-system', 'podinfo', 'prod'))).toBe(true);
  });

  it('reads the metadata of PRs written by other tools and ignores bodies without it', () => {
    expect(parsePromotionMetadata('<details>\n<summary>metadata</summary>\nteam-a/app/staging\n</details>')).toEqual({ pipelineNamespace: 'team-a', pipelineName: 'app', targetEnv: 'staging' });
    expect(parsePromotionMetadata('team-a/app/staging')).toBeUndefined();
    expect(parsePromotionMetadata('<details><summary>other</summary>a/b/c</details>')).toBeUndefined();
  });
});

describe('validatePromotionOrder', () => {
  it('accepts a pull-request strategy and returns its repo and base', () => {
    expect(validatePromotionOrder(req())).toEqual({ repoUrl: 'https://github.com/acme/fleet', baseBranch: 'main', provider: 'github' });
  });

  it('passes any provider the forge registry supports on, and says which one', () => {
    expect(validatePromotionOrder(req({ strategy: { ...req().strategy, provider: 'gitlab' } }), ['github', 'gitlab'])).toMatchObject({ provider: 'gitlab' });
  });

  it('refuses what cannot be promoted by PR', () => {
    expect(failureCode(() => validatePromotionOrder(req({ strategy: { kind: 'notification', manual: false, source: 'pipeline' } })))).toBe('invalid-request');
    expect(failureCode(() => validatePromotionOrder(req({ strategy: { ...req().strategy, baseBranch: undefined } })))).toBe('invalid-request');
    expect(failureCode(() => validatePromotionOrder(req({ strategy: { ...req().strategy, provider: 'bitbucket-server' } }), ['github', 'gitlab']))).toBe('unsupported-provider');
    expect(failureCode(() => validatePromotionOrder(req({ version: '' })))).toBe('invalid-request');
    expect(failureCode(() => validatePromotionOrder(req({ version: '1.0\n# x' })))).toBe('invalid-request');
    expect(failureCode(() => validatePromotionOrder(req({ version: '1.0"' })))).toBe('invalid-request');
    expect(failureCode(() => validatePromotionOrder(req({ pipelineName: 'Bad Name' })))).toBe('invalid-request');
  });
});

describe('editMarkedFiles', () => {
  const marker = promotionMarker('flux-system', 'podinfo', 'prod');
  const other = promotionMarker('flux-system', 'podinfo', 'staging');

  it('returns the changed files with line changes and their new contents, skipping unaffected files', () => {
    const r = editMarkedFiles(
      [
        { path: 'prod.yaml', content: `a: 1\nversion: "6.0.0" ${marker}\n`, mode: '100644' },
        { path: 'staging.yaml', content: `version: "6.0.0" ${other}\n`, mode: '100644' },
      ],
      'flux-system',
      'podinfo',
      'prod',
      '6.0.1',
      'acme/fleet',
    );
    expect(r.files).toEqual([{ path: 'prod.yaml', changes: [{ line: 2, before: `version: "6.0.0" ${marker}`, after: `version: "6.0.1" ${marker}` }] }]);
    expect(r.newFiles).toEqual([{ path: 'prod.yaml', content: `a: 1\nversion: "6.0.1" ${marker}\n`, mode: '100644' }]);
    expect(r.previous).toEqual(['6.0.0']);
  });

  it('refuses, naming the marker, when no file carries it', () => {
    let caught: unknown;
    try {
      editMarkedFiles([{ path: 'staging.yaml', content: `version: "6.0.0" ${other}\n`, mode: '100644' }], 'flux-system', 'podinfo', 'prod', '6.0.1', 'acme/fleet');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PromotionFailure);
    expect((caught as PromotionFailure).code).toBe('marker-not-found');
    expect((caught as PromotionFailure).message).toContain(marker);
    expect((caught as PromotionFailure).message).toContain('acme/fleet');
  });

  it('refuses the whole promotion when one marker is unusable, naming file and line', () => {
    let caught: unknown;
    try {
      editMarkedFiles(
        [
          { path: 'ok.yaml', content: `version: "6.0.0" ${marker}\n`, mode: '100644' },
          { path: 'bad.yaml', content: `x: 1\nversion: | ${marker}\n  6.0.0\n`, mode: '100644' },
        ],
        'flux-system',
        'podinfo',
        'prod',
        '6.0.1',
        'acme/fleet',
      );
    } catch (e) {
      caught = e;
    }
    expect((caught as PromotionFailure).code).toBe('marker-unsupported');
    expect((caught as PromotionFailure).message).toMatch(/^bad\.yaml: .*line 2/);
  });

  it('says already-at-version when nothing would change', () => {
    expect(failureCode(() => editMarkedFiles([{ path: 'p.yaml', content: `v: 6.0.1 ${marker}\n`, mode: '100644' }], 'flux-system', 'podinfo', 'prod', '6.0.1', 'r'))).toBe('already-at-version');
  });
});
