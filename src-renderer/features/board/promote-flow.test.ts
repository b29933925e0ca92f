import { describe, expect, it } from 'vitest';
import type { EffectiveStrategy } from '../../../src-main/common/board';
import type { ForgeHostSummary } from '../../../src-main/common/session';
import { approvalWhy, confirmLabel, hostForRepo, planErrorView, sameFiles, stepLabels, wordsForTarget } from './promote-flow';
import { changeRequestWordsFor } from '../forges/forge-capabilities';
import { publishedForgeCapabilities } from '../../testing/forge-capabilities';
import { testEnv, testRow, testTarget } from '../../../src-main/common/test-rows';
import { derivePromotion } from '../../../src-main/common/promotion-eligibility';

const hosts: ForgeHostSummary[] = [
  { id: 'gh', type: 'github', webUrl: 'http://127.0.0.1:4000', apiUrl: 'http://127.0.0.1:4000/api/v3' },
  { id: 'gl', type: 'gitlab', webUrl: 'http://127.0.0.1:5000', apiUrl: 'http://127.0.0.1:5000/api/v4' },
  { id: 'ghe-sub', type: 'github', webUrl: 'https://code.example/ghe', apiUrl: 'https://code.example/ghe/api/v3' },
];
const strategy = (repoUrl: string): EffectiveStrategy => ({ kind: 'pull-request', manual: false, provider: 'github', repoUrl, baseBranch: 'main', source: 'environment' });

describe('promote flow helpers', () => {
  it('finds the host serving a repository by its web URL, not by a look-alike prefix', () => {
    expect(hostForRepo(hosts, strategy('http://127.0.0.1:5000/platform-team/infra/fleet-config'))?.id).toBe('gl');
    expect(hostForRepo(hosts, strategy('http://127.0.0.1:4000/acme/fleet-config.git'))?.id).toBe('gh');
    expect(hostForRepo(hosts, strategy('http://127.0.0.1:40001/acme/x'))).toBeUndefined();
    expect(hostForRepo(hosts, strategy('https://code.example/ghe/acme/x'))?.id).toBe('ghe-sub');
    expect(hostForRepo(hosts, strategy('not a url'))).toBeUndefined();
  });

  const mr = changeRequestWordsFor(publishedForgeCapabilities, 'gitlab');
  const pr = changeRequestWordsFor(publishedForgeCapabilities, 'github');

  it("says update when the forge's change is already open, and open otherwise, in its terms", () => {
    expect(confirmLabel(mr, true)).toBe('Confirm and update merge request');
    expect(confirmLabel(mr, false)).toBe('Confirm and open merge request');
    expect(confirmLabel(pr, false)).toBe('Confirm and open pull request');
    expect(stepLabels(mr, true)['open-pr']).toBe('Update the merge request');
    expect(stepLabels(pr)['open-pr']).toBe('Open the pull request');
  });

  it("finds the words of a promotion target by its environment's strategy provider", () => {
    const row = testRow('api', [testEnv('dev', 0, [testTarget('1.0.0')]), testEnv('prod', 1, [testTarget('0.9.0')], { strategy: { ...strategy('https://gitlab.example/g/p'), provider: 'gitlab' } })]);
    const rowsById = { [row.id]: row };
    expect(wordsForTarget(publishedForgeCapabilities, rowsById, { pipelineId: row.id, targetEnv: 'prod' }).ref(3)).toBe('!3');
    expect(wordsForTarget(publishedForgeCapabilities, rowsById, { pipelineId: 'gone/row', targetEnv: 'prod' }).noun).toBe('pull request');
  });

  it('turns plan errors into plain words: sign-in with the host, the marker looked for, the wait', () => {
    const signIn = planErrorView({ code: 'sign-in-required', message: 'not signed in' }, hosts[0], mr);
    expect(signIn).toMatchObject({ title: 'Sign in to 127.0.0.1:4000 to promote', signInHost: 'gh', retry: false });
    expect(signIn.message).toContain('opens the merge request as you');
    const marker = planErrorView({ code: 'marker-not-found', message: 'No value in acme/x carries the marker # {"$promotion": "ns:app:prod"}; nothing was changed.' }, hosts[0], pr);
    expect(marker.detail).toBe('# {"$promotion": "ns:app:prod"}');
    expect(planErrorView({ code: 'rate-limited', message: 'Slow down.', retryAfterSeconds: 120 } as never, hosts[0], pr).message).toBe('Slow down. Try again in 2 min.');
    expect(planErrorView({ code: 'already-at-version', message: 'already' }, undefined, pr).retry).toBe(false);
  });

  it('compares planned files exactly', () => {
    const a = [{ path: 'x.yaml', changes: [{ line: 3, before: 'a', after: 'b' }] }];
    expect(sameFiles(a, structuredClone(a))).toBe(true);
    expect(sameFiles(a, [{ path: 'x.yaml', changes: [{ line: 4, before: 'a', after: 'b' }] }])).toBe(false);
  });
});

describe('why an approval promotes its revision', () => {
  it('says plainly when the upstream environment runs other versions', () => {
    const row = testRow('checkout', [
      testEnv('qa', 0, [testTarget('4.2.1'), testTarget('4.2.0')], {}, 'mixed'),
      testEnv('prod', 1, [testTarget('4.1.0')], { pending: [{ kind: 'awaiting-approval', version: '4.2.1' }] }),
    ]);
    const derived = derivePromotion(row, 'prod', '4.2.1');
    if (!derived.allowed) throw new Error(derived.reason);
    expect(approvalWhy(derived.promotion, '4.2.1')).toBe(
      'prod is waiting for approval of 4.2.1, the revision the pipeline controller chose: this promotes exactly that revision. qa runs other versions on 1 of 2 targets, which does not block an approval the controller is already waiting for.',
    );
  });
});
