import { describe, expect, it } from 'vitest';
import type { EffectiveStrategy } from '../../../src-main/common/board';
import type { ForgeHostSummary } from '../../../src-main/common/session';
import { changeWords, confirmLabel, hostForRepo, planErrorView, sameFiles, stepLabels } from './promote-flow';

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

  it('says merge request for GitLab and pull request otherwise', () => {
    expect(changeWords(true).short).toBe('merge request');
    expect(changeWords(false).article).toBe('a pull request');
  });

  it("references GitLab's merge requests as !N, says update when one is open, and open otherwise", () => {
    const mr = changeWords(true);
    expect(mr.ref(2)).toBe('!2');
    expect(changeWords(false).ref(2)).toBe('#2');
    expect(confirmLabel(mr, true)).toBe('Confirm and update merge request');
    expect(confirmLabel(mr, false)).toBe('Confirm and open merge request');
    expect(stepLabels(mr, true)['open-pr']).toBe('Update the merge request');
    expect(stepLabels(changeWords(false))['open-pr']).toBe('Open the pull request');
  });

  it('turns plan errors into plain words: sign-in with the host, the marker looked for, the wait', () => {
    const signIn = planErrorView({ code: 'sign-in-required', message: 'not signed in' }, hosts[0]);
    expect(signIn).toMatchObject({ title: 'Sign in to 127.0.0.1:4000 to promote', signInHost: 'gh', retry: false });
    const marker = planErrorView({ code: 'marker-not-found', message: 'No value in acme/x carries the marker # {"$promotion": "ns:app:prod"}; nothing was changed.' }, hosts[0]);
    expect(marker.detail).toBe('# {"$promotion": "ns:app:prod"}');
    expect(planErrorView({ code: 'rate-limited', message: 'Slow down.', retryAfterSeconds: 120 } as never, hosts[0]).message).toBe('Slow down. Try again in 2 min.');
    expect(planErrorView({ code: 'already-at-version', message: 'already' }, undefined).retry).toBe(false);
  });

  it('compares planned files exactly', () => {
    const a = [{ path: 'x.yaml', changes: [{ line: 3, before: 'a', after: 'b' }] }];
    expect(sameFiles(a, structuredClone(a))).toBe(true);
    expect(sameFiles(a, [{ path: 'x.yaml', changes: [{ line: 4, before: 'a', after: 'b' }] }])).toBe(false);
  });
});
