// The demo sandbox's GitLab part: startSandbox starts the GitLab forge for a seed with a
// `gitlab` section, the Pipelines point at the sub-group project, their Secrets hold the
// seeded GitLab tokens, kubectl-independent checks of the seeded MR (running pipeline,
// missing approval), and the Flux simulator rolling prod when that MR is merged on GitLab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FluxEvent } from '../flux/simulator';
import { startSandbox, type Sandbox } from '../index';
import { GITLAB_DEMO_BOT, GITLAB_DEMO_OPEN_MR, GITLAB_DEMO_PROJECT } from '../seeds/gitlab-demo';

let sandbox: Sandbox;
const events: FluxEvent[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo', fluxDelayMs: 20 });
  sandbox.flux.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await sandbox?.stop();
});

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const b64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

describe('demo sandbox with GitLab', () => {
  it('reports the GitLab forge, its app and its labelled tokens', () => {
    expect(sandbox.info.gitlab?.apiUrl).toBe(`${sandbox.info.gitlab?.url}/api/v4`);
    expect(sandbox.users.gitlab?.tokens).toMatchObject({
      gitlabPat: expect.stringMatching(/^glpat-/),
      gitlabExpiringSoon: expect.any(String),
      gitlabRevoked: expect.any(String),
      gitlabProjectBot: expect.any(String),
    });
    expect(sandbox.users.gitlab?.oauthApps[0]).toMatchObject({ confidential: false, redirectUris: ['http://127.0.0.1/callback'] });
  });

  it('points both GitLab Pipelines at the sub-group project and backs every strategy with a GitLab token Secret', () => {
    const store = sandbox.cluster('mgmt').api.store;
    const tokens = sandbox.users.gitlab?.tokens ?? {};
    const expected: Record<string, string | undefined> = {
      'ingress-gateway-promotion': tokens.gitlabPat,
      'ingress-gateway-prod-promotion': tokens.gitlabProjectBot,
      'cert-rotation-promotion': tokens.gitlabExpiringSoon,
      'cert-rotation-prod-promotion': tokens.gitlabRevoked,
    };
    for (const name of ['ingress-gateway', 'cert-rotation']) {
      const p = store.get('pipelines.weave.works', 'Pipeline', 'platform', name);
      const pr = (p?.spec as { promotion: { strategy: { 'pull-request': { type: string; url: string } } } }).promotion.strategy['pull-request'];
      expect(pr).toMatchObject({ type: 'gitlab', url: `${sandbox.info.gitlab?.url}/${GITLAB_DEMO_PROJECT.path}` });
    }
    for (const [secretName, value] of Object.entries(expected)) {
      const s = store.get('v1', 'Secret', 'platform', secretName);
      expect(b64((s?.data as Record<string, string>).token), secretName).toBe(value);
    }
  });

  it('merging the seeded promotion MR on GitLab makes Flux roll prod-eu', async () => {
    const gl = sandbox.gitlab?.server;
    if (!gl) throw new Error('no GitLab forge');
    const project = encodeURIComponent(GITLAB_DEMO_PROJECT.path);
    const mr = gl.state.listMergeRequests(GITLAB_DEMO_PROJECT.path)[0];
    expect(mr).toMatchObject({ iid: 1, author: GITLAB_DEMO_BOT, sourceBranch: `promotion-platform-${GITLAB_DEMO_OPEN_MR.pipeline}-${GITLAB_DEMO_OPEN_MR.env}` });
    const token = sandbox.users.gitlab?.tokens.gitlabPat as string;
    const get = await (await fetch(`${gl.apiUrl}/projects/${project}/merge_requests/1`, { headers: { 'PRIVATE-TOKEN': token } })).json();
    expect(get).toMatchObject({ head_pipeline: { status: 'running' }, detailed_merge_status: 'not_approved' });

    gl.state.approve(GITLAB_DEMO_PROJECT.path, 1, 'rm-alice');
    const merged = await fetch(`${gl.apiUrl}/projects/${project}/merge_requests/1/merge`, { method: 'PUT', headers: { 'PRIVATE-TOKEN': token } });
    expect(merged.status).toBe(200);
    const done = await waitFor('Flux to deploy ingress-gateway in prod-eu', () =>
      events.find((e) => e.outcome === 'deployed' && e.target.cluster === 'prod-eu' && e.target.name === 'ingress-gateway'),
    );
    expect(done).toMatchObject({ version: GITLAB_DEMO_OPEN_MR.to, pipeline: { namespace: 'platform', name: 'ingress-gateway', env: 'prod' } });
  });
});
