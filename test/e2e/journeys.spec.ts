// THE user journeys, end to end on the real services and the demo sandbox: drag a version to
// the next environment → the review asks for sign-in → the sandbox forge's authorize page
// (opened from the URL main handed the "system browser") → the exact line changes → Confirm →
// progress → the pull request (GitLab: merge request), checked in the forge itself → merged
// through the forge's API → the Flux simulator rolls out → the board shows the new version
// without a reload. Then: no token ever crossed into the renderer.
import { Octokit } from '@octokit/rest';
import path from 'node:path';
import { cell, dragVersion, expect, openBoard, screenshotDir, test, waitFor } from './sandbox-fixtures';
import { authorizeInBrowser, signedInToGitHub } from './sign-in';
import { controllerMetadataBlock } from '../../src-main/git/promotion-plan';

const GH_REPO = 'acme/fleet-config';
const GL_PROJECT = 'platform-team/infra/fleet-config';

/** Lines that differ between two versions of a file: [before, after] pairs. */
function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]!] as [string, string]]));
}

test.describe('promotion journeys on the demo sandbox', () => {
  test('GitHub: drag → sign in → exact changes → confirm → PR → merge → Flux → board', async ({ page, real }) => {
    test.setTimeout(90_000);
    const { sandbox } = real;
    const forge = sandbox.forge.server;
    await openBoard(page, real);
    const staging = cell(page, 'platform/ingress-nginx', 'staging');
    const prod = cell(page, 'platform/ingress-nginx', 'prod');
    await expect(prod.getByTestId('version-chip')).toHaveText('4.10.1');

    // top bar before sign-in: the configured hosts, nobody signed in
    await page.getByTestId('account-button').click();
    await expect(page.getByTestId('host-entry')).toHaveCount(2);
    await expect(page.getByTestId('account-popover')).toContainText('Not signed in');
    await page.keyboard.press('Escape');

    await dragVersion(page, staging, prod);
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog).toContainText('Promote ingress-nginx to prod');
    await expect(dialog.getByTestId('promote-version')).toHaveText('4.11.3');
    const needSignIn = dialog.getByTestId('promote-plan-error');
    await expect(needSignIn).toHaveAttribute('data-code', 'sign-in-required');
    await expect(needSignIn).toContainText(`Sign in to ${new URL(sandbox.forge.url).host} to promote`);
    await page.screenshot({ path: path.join(screenshotDir, 'journey-sign-in-required.png') });

    await dialog.getByTestId('promote-sign-in').click();
    await expect(dialog.getByTestId('sign-in-waiting')).toContainText('Waiting for the browser');
    const authorizeUrl = await authorizeInBrowser(page, real, '#js-oauth-authorize-btn');
    expect(new URL(authorizeUrl).origin).toBe(sandbox.forge.url);

    // the plan: exact line changes in the config repo, authored as the signed-in user
    const plan = dialog.getByTestId('promote-plan');
    await expect(plan).toBeVisible({ timeout: 20_000 });
    await expect(dialog.getByTestId('promote-author')).toContainText(sandbox.users.signIn.login);
    const files = dialog.getByTestId('diff-file');
    await expect(files.first()).toBeVisible();
    const paths = await files.evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''));
    expect(paths.length).toBeGreaterThan(0);
    for (const before of await dialog.getByTestId('diff-before').allTextContents()) expect(before).toContain('4.10.1');
    for (const after of await dialog.getByTestId('diff-after').allTextContents()) expect(after).toContain('4.11.3');
    await expect(dialog).toContainText('Promote platform/ingress-nginx in prod to 4.11.3');
    await page.screenshot({ path: path.join(screenshotDir, 'journey-plan.png') });
    // signed in: the top bar shows who
    await expect(page.getByTestId('account-button')).toContainText(sandbox.users.signIn.login);

    // Confirm: progress while the forge is slow, then the PR
    forge.faults.setLatency(350);
    await dialog.getByTestId('promote-confirm').click();
    const progress = dialog.getByTestId('promote-progress');
    await expect(progress).toBeVisible();
    await expect(progress.locator('[data-step="commit"][data-state="active"], [data-step="read-repo"][data-state="active"]')).toHaveCount(1);
    await page.screenshot({ path: path.join(screenshotDir, 'journey-progress.png') });
    const done = dialog.getByTestId('promote-done');
    await expect(done).toBeVisible({ timeout: 30_000 });
    forge.faults.setLatency(0);
    const link = done.getByTestId('promote-pr-link');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', /\bnoreferrer\b/);
    const prUrl = (await link.getAttribute('href'))!;
    expect(prUrl).toMatch(new RegExp(`^${sandbox.forge.url}/${GH_REPO}/pull/\\d+$`));
    await page.screenshot({ path: path.join(screenshotDir, 'journey-done.png') });

    // in the forge: branch, title, body metadata, author, and a diff of only the marked values
    const number = Number(prUrl.split('/').at(-1));
    const pr = forge.state.getPull(GH_REPO, number)!;
    expect(pr).toMatchObject({
      head: 'promotion-platform-ingress-nginx-prod',
      base: 'main',
      title: 'Promote platform/ingress-nginx in prod to 4.11.3',
      author: sandbox.users.signIn.login,
      state: 'open',
    });
    expect(pr.body?.endsWith(controllerMetadataBlock('platform', 'ingress-nginx', 'prod'))).toBe(true);
    expect(pr.body).toContain('**staging** runs 4.11.3 healthy on 1 of 1 target.');
    expect(forge.state.listPulls(GH_REPO).filter((p) => p.head === pr.head && p.state === 'open')).toHaveLength(1);
    for (const file of paths) {
      const diff = changedLines(forge.state.getFile(GH_REPO, 'main', file)!, forge.state.getFile(GH_REPO, pr.head, file)!);
      expect(diff.length).toBeGreaterThan(0);
      for (const [before, after] of diff) {
        expect(before).toContain('{"$promotion": "platform:ingress-nginx:prod"}');
        expect(after).toBe(before.replace('4.10.1', '4.11.3'));
      }
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);

    // the board shows the open PR (and the seeded one on checkout, now that discovery can ask)
    await expect(prod.getByTestId('pending-badge')).toContainText(`PR #${number} · 4.11.3`, { timeout: 20_000 });
    await expect(prod.getByTestId('pending-badge')).toContainText('no review · no checks');
    await expect(cell(page, 'team-payments/checkout', 'prod').getByTestId('pending-badge')).toContainText('PR #1 · 1.8.2');

    // merge through the forge's API as the release manager → Flux rolls prod → the board follows
    const octokit = new Octokit({ baseUrl: sandbox.forge.apiUrl, auth: sandbox.users.tokens['releaseManager'] });
    const merged = await octokit.pulls.merge({ owner: 'acme', repo: 'fleet-config', pull_number: number, merge_method: 'squash' });
    expect(merged.data.merged).toBe(true);
    await expect(prod.getByTestId('version-chip')).toHaveText('4.11.3', { timeout: 30_000 });
    // (the merged PR's badge goes with main's next PR poll, up to 30 s later: not waited for here)
  });

  test('keyboard: p on a focused cell opens the same review; a manual gate promotes exactly the waiting revision', async ({ page, real }) => {
    await signedInToGitHub(page, real);
    await openBoard(page, real, '#q=ledger');
    const dev = cell(page, 'team-payments/ledger', 'dev');
    await dev.focus();
    await page.keyboard.press('p');
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog).toContainText('Approve 2.4.0 into prod');
    await expect(dialog.getByTestId('promote-awaiting')).toContainText('this promotes exactly that revision');
    await expect(dialog.getByTestId('promote-version')).toHaveText('2.4.0');
    // signed in: straight to the exact changes
    await expect(dialog.getByTestId('promote-plan')).toBeVisible({ timeout: 20_000 });
    await expect(dialog.getByTestId('diff-after').first()).toContainText('2.4.0');
    const planned = real.preview.traffic.filter((t) => t.direction === 'response' && t.channel === 'promotion:plan').at(-1)!;
    const planId = (JSON.parse(planned.body) as { value: { id: string } }).value.id;
    // Escape discards the plan: main forgets it, so it can never be applied later
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await waitFor('the plan to be discarded', () => (real.preview.traffic.some((t) => t.channel === 'promotion:discard-plan' && t.body.includes(planId)) ? true : undefined));
    const reuse = await real.services.dispatcher.dispatch('promotion:apply', { planId });
    expect(reuse).toMatchObject({ ok: false, error: { code: 'plan-expired' } });
    // (the demo seeds a long-merged ledger → prod PR for the release log: only an open one would be this plan's)
    expect(real.sandbox.forge.server.state.listPulls(GH_REPO).some((p) => p.head === 'promotion-team-payments-ledger-prod' && p.state === 'open')).toBe(false);
  });

  test('a failed apply keeps the plan and Retry completes it', async ({ page, real }) => {
    const forge = real.sandbox.forge.server;
    await signedInToGitHub(page, real);
    await openBoard(page, real, '#q=checkout');
    await cell(page, 'team-payments/checkout', 'staging').focus();
    await page.keyboard.press('p');
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog.getByTestId('promote-plan')).toBeVisible({ timeout: 20_000 });
    // the seeded open PR from the same branch is updated, not duplicated
    await expect(dialog.getByTestId('promote-existing')).toContainText('is already open from this branch');
    forge.faults.failNext(1, 500, { method: 'POST', pathIncludes: '/git/trees' });
    await dialog.getByTestId('promote-confirm').click();
    const failed = dialog.getByTestId('promote-apply-error');
    await expect(failed).toBeVisible({ timeout: 20_000 });
    await expect(failed.getByTestId('diff-file').first()).toBeVisible();
    await failed.getByTestId('promote-retry').click();
    await expect(dialog.getByTestId('promote-done')).toContainText('Updated existing pull request #', { timeout: 20_000 });
    await page.keyboard.press('Escape');
  });

  test('GitLab: the same journey opens a merge request, merged → rolled out → on the board', async ({ page, real }) => {
    test.setTimeout(90_000);
    const { sandbox } = real;
    const gitlab = sandbox.gitlab!;
    // This journey is about promoting; GitLab's asynchronous MR checks and delayed pipelines
    // (covered in test/sandbox/gitlab and test/integration/gitlab-promotion) are instant here.
    gitlab.server.state.raw.timings = { preparingMs: 0, checkingMs: 0, pipelineDelayMs: 0 };
    await openBoard(page, real, '#q=cert-rotation');
    const staging = cell(page, 'platform/cert-rotation', 'staging');
    const prod = cell(page, 'platform/cert-rotation', 'prod');
    await expect(prod.getByTestId('version-chip')).toHaveText('2.2.4');
    await dragVersion(page, staging, prod);
    const dialog = page.getByTestId('promote-dialog');
    const needSignIn = dialog.getByTestId('promote-plan-error');
    await expect(needSignIn).toHaveAttribute('data-code', 'sign-in-required');
    await expect(needSignIn).toContainText(`Sign in to ${new URL(gitlab.url).host} to promote`);
    await dialog.getByTestId('promote-sign-in').click();
    await authorizeInBrowser(page, real, '#authorize');

    await expect(dialog.getByTestId('promote-plan')).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toContainText('opens a merge request titled “Promote platform/cert-rotation in prod to 2.3.0”');
    await expect(dialog.getByTestId('diff-file')).toHaveAttribute('data-path', 'apps/cert-rotation/prod/values.yaml');
    await expect(dialog.getByTestId('diff-before')).toContainText('"2.2.4"');
    await expect(dialog.getByTestId('diff-after')).toContainText('"2.3.0"');
    await expect(dialog.getByTestId('promote-confirm')).toHaveText('Confirm and open merge request');
    await dialog.getByTestId('promote-confirm').click();
    const done = dialog.getByTestId('promote-done');
    await expect(done).toContainText('Opened merge request !', { timeout: 30_000 });
    const mrUrl = (await done.getByTestId('promote-pr-link').getAttribute('href'))!;
    expect(mrUrl).toMatch(new RegExp(`^${gitlab.url}/${GL_PROJECT}/-/merge_requests/\\d+$`));
    const iid = Number(mrUrl.split('/').at(-1));
    const mr = gitlab.server.state.getMergeRequest(GL_PROJECT, iid)!;
    expect(mr).toMatchObject({
      sourceBranch: 'promotion-platform-cert-rotation-prod',
      targetBranch: 'main',
      title: 'Promote platform/cert-rotation in prod to 2.3.0',
      author: sandbox.users.gitlab!.signIn.username,
      state: 'opened',
    });
    expect(mr.description.endsWith(controllerMetadataBlock('platform', 'cert-rotation', 'prod'))).toBe(true);
    const file = 'apps/cert-rotation/prod/values.yaml';
    const diff = changedLines(gitlab.server.state.getFile(GL_PROJECT, 'main', file)!, gitlab.server.state.getFile(GL_PROJECT, mr.sourceBranch, file)!);
    expect(diff).toEqual([[expect.stringContaining('"2.2.4"'), expect.stringContaining('"2.3.0"')]]);
    await page.keyboard.press('Escape');
    // the new MR: the sandbox's CI passed on push, no approval yet
    await expect(prod.getByTestId('pending-badge')).toContainText(`MR !${iid} · 2.3.0`, { timeout: 20_000 });
    await expect(prod.getByTestId('pending-badge')).toContainText('checks passed');

    // a reviewer approves (the project requires it), then merge through GitLab's API with the
    // signed-in user's token (read from the forge's state)
    gitlab.server.state.approve(GL_PROJECT, iid, 'dev-bob');
    const token = [...gitlab.server.state.raw.tokens.entries()].find(([, t]) => t.kind === 'oauth' && t.username === sandbox.users.gitlab!.signIn.username && !t.revoked)![0];
    const merged = await fetch(`${gitlab.apiUrl}/projects/${encodeURIComponent(GL_PROJECT)}/merge_requests/${iid}/merge`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
    expect(merged.status).toBe(200);
    await expect(prod.getByTestId('version-chip')).toHaveText('2.3.0', { timeout: 30_000 });

    // the seeded MR on ingress-gateway shows its running pipeline once GitLab discovery can ask
    await page.evaluate(() => (window.location.hash = '#q=ingress-gateway'));
    await expect(cell(page, 'platform/ingress-gateway', 'prod').getByTestId('pending-badge')).toContainText(/MR !\d+ · 4\.11\.2 .*checks running/);
  });

  test('signing in from the review with a device code instead of the browser', async ({ page, real }) => {
    const forge = real.sandbox.forge.server;
    const hosts = await real.services.dispatcher.dispatch('auth:list-hosts', undefined);
    const github = (hosts as { ok: true; value: { id: string; type: string }[] }).value.find((h) => h.type === 'github')!;
    await real.services.dispatcher.dispatch('auth:sign-out', { host: github.id });
    await openBoard(page, real, '#q=checkout');
    await cell(page, 'team-payments/checkout', 'staging').focus();
    await page.keyboard.press('p');
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog.getByTestId('promote-plan-error')).toHaveAttribute('data-code', 'sign-in-required');
    await dialog.getByTestId('promote-sign-in').click();
    await dialog.getByTestId('sign-in-device').click();
    const code = await dialog.getByTestId('device-user-code').textContent();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    // the browser attempt was cancelled: drop the URL it had opened
    await real.browser.next(1_000).catch(() => undefined);
    expect(forge.state.decideDeviceCode(code!, true)).toBe(true);
    await expect(dialog.getByTestId('promote-plan')).toBeVisible({ timeout: 20_000 });
    await expect(dialog.getByTestId('promote-author')).toContainText(real.sandbox.users.signIn.login);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  test('the renderer never received a token', async ({ page, real }) => {
    const { sandbox, preview } = real;
    // a signed-in session is what puts tokens in main worth leaking
    await signedInToGitHub(page, real);
    await openBoard(page, real);
    // every token the forges know: the signed-in users' OAuth tokens and refresh tokens, and all seeded ones
    const gh = sandbox.forge.server.state.raw;
    const gl = sandbox.gitlab!.server.state.raw;
    const secrets = new Set<string>([
      ...gh.tokens.keys(),
      ...[...gh.refreshTokens.values()].map((r) => r.value),
      ...gl.tokens.keys(),
      ...Object.values(sandbox.users.tokens),
      ...Object.values(sandbox.users.gitlab?.tokens ?? {}),
    ]);
    const signedIn = [...gh.tokens.values()].filter((t) => t.login === sandbox.users.signIn.login && t.kind === 'oauth');
    expect(signedIn.length).toBeGreaterThan(0);
    expect(preview.traffic.length).toBeGreaterThan(20);
    const storage = await page.evaluate(async () => {
      const dump = (s: Storage) => Object.keys(s).map((k) => `${k}=${s.getItem(k) ?? ''}`);
      const dbs = (await indexedDB.databases?.()) ?? [];
      return [...dump(localStorage), ...dump(sessionStorage), JSON.stringify(dbs), document.cookie, document.documentElement.outerHTML].join('\n');
    });
    const haystacks = [...preview.traffic.map((t) => t.body), storage];
    const shapes = /gh[oupsr]_[A-Za-z0-9]{20,}|github_pat_|glpat-|glrt-/;
    for (const hay of haystacks) {
      for (const secret of secrets) if (secret.length >= 8) expect(hay.includes(secret), 'a token value crossed into the renderer').toBe(false);
      expect(shapes.exec(hay)?.[0], 'a token-shaped string crossed into the renderer').toBeUndefined();
    }
  });
});
