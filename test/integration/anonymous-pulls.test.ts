// Open promotion PRs before sign-in, against the sandbox forge over real HTTP: a public
// repository answers anonymous reads (no Authorization header leaves main), a private one
// answers 404 like GitHub does, which discovery reports as 'sign-in-required'; once merged, a PR
// says when. Only configured hosts are asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnterpriseHost, type ForgeHost } from '../../src-main/forges/forge-host';
import { createPullDiscovery } from '../../src-main/git/pull-discovery';
import { startForge, type Forge } from '../sandbox/forge/index';
import { TOKENS, forgeSeed } from '../sandbox/forge/fixture';

let forge: Forge;
let host: ForgeHost;
const sent: { url: string; authorization: string | null }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  sent.push({ url: request.url, authorization: request.headers.get('authorization') });
  return fetch(request);
};

beforeAll(async () => {
  forge = await startForge({});
  const seed = forgeSeed();
  seed.repos.push({ owner: 'acme', name: 'secret-fleet', defaultBranch: 'main', files: { 'README.md': '# private\n' }, pushers: ['alice'], private: true });
  for (const env of ['prod', 'staging']) {
    const body = `x\n\n<details>\n<summary>metadata</summary>\n!!! DO NOT EDIT !!!\n\napps/podinfo/${env}\n</details>`;
    seed.pulls.push({
      repo: 'acme/fleet',
      head: `promotion-apps-podinfo-${env}`,
      base: 'main',
      title: `Promote apps/podinfo in ${env} to 6.5.1`,
      body,
      author: 'alice',
      files: { [`apps/podinfo/${env}/release.yaml`]: 'version: 6.5.1 # {"$promotion": "podinfo"}\n' },
    });
  }
  forge.load(seed);
  host = githubEnterpriseHost(forge.url, 'Iv1.classicapp0001', undefined, 'sandbox');
});
afterAll(async () => {
  await forge.close();
});

const noSession = { get: () => undefined, withToken: () => Promise.reject(new Error('must not ask the vault without a session')) };

describe('open PRs before sign-in', () => {
  it('reads a public repository without a token and reports a private one as sign-in-required', async () => {
    const discovery = createPullDiscovery({ hosts: [host], vault: noSession, fetch: recordingFetch });
    const open = await discovery.poll(`${forge.url}/acme/fleet`);
    expect(open.ok && open.value.pulls.map((p) => p.metadata?.targetEnv).sort()).toEqual(['prod', 'staging']);
    const hidden = await discovery.poll(`${forge.url}/acme/secret-fleet`);
    expect(hidden).toEqual({ ok: false, error: { code: 'sign-in-required', message: 'acme/secret-fleet is not public: sign in to sandbox to see its open PRs.' } });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.authorization === null)).toBe(true);
  });

  it('reads each repository of a host less often the more of them it reads anonymously (they share one budget)', async () => {
    let clock = 0;
    const discovery = createPullDiscovery({ hosts: [host], vault: noSession, fetch: recordingFetch, now: () => clock, anonymousMinIntervalMs: 120_000 });
    const fleet = `${forge.url}/acme/fleet`;
    await discovery.poll(fleet);
    await discovery.poll(`${forge.url}/acme/secret-fleet`);
    sent.length = 0;
    clock = 150_000; // past 2 min, inside 2 × 2 min: two repositories on this host
    await discovery.poll(fleet);
    expect(sent).toEqual([]);
    // the private repository's refusal is remembered as long: it costs the same budget
    expect(await discovery.poll(`${forge.url}/acme/secret-fleet`)).toMatchObject({ ok: false, error: { code: 'sign-in-required' } });
    expect(sent).toEqual([]);
    clock = 250_000;
    await discovery.poll(fleet);
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual(['/api/v3/repos/acme/fleet/pulls']);
  });

  it('asks nothing of a host the user did not configure', async () => {
    sent.length = 0;
    const discovery = createPullDiscovery({ hosts: [host], vault: noSession, fetch: recordingFetch });
    expect(await discovery.poll('https://evil.example/acme/fleet')).toMatchObject({ ok: false, error: { code: 'unknown-host' } });
    expect(await discovery.mergedAt('https://evil.example/acme/fleet', 1)).toMatchObject({ ok: false, error: { code: 'unknown-host' } });
    expect(sent).toEqual([]);
  });

  it('says when a merged PR merged, anonymously, and null for one closed unmerged', async () => {
    const discovery = createPullDiscovery({ hosts: [host], vault: noSession, fetch: recordingFetch });
    const listed = await discovery.poll(`${forge.url}/acme/fleet`);
    const numbers = listed.ok ? listed.value.pulls.map((p) => p.number) : [];
    const [first, second] = numbers;
    if (first === undefined || second === undefined) throw new Error(`expected two open promotion PRs, got ${numbers.join(', ')}`);
    const merge = await fetch(`${forge.apiUrl}/repos/acme/fleet/pulls/${first}/merge`, {
      method: 'PUT',
      headers: { authorization: `token ${TOKENS.classic}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(merge.status).toBe(200);
    const close = await fetch(`${forge.apiUrl}/repos/acme/fleet/pulls/${second}`, {
      method: 'PATCH',
      headers: { authorization: `token ${TOKENS.classic}`, 'content-type': 'application/json' },
      body: '{"state":"closed"}',
    });
    expect(close.status).toBe(200);
    const mergedAt = await discovery.mergedAt(`${forge.url}/acme/fleet`, first);
    expect(mergedAt.ok && mergedAt.value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await discovery.mergedAt(`${forge.url}/acme/fleet`, second)).toEqual({ ok: true, value: null });
  });

  it('the forge shows a private repository only to a signed-in user with access and the repo scope', async () => {
    const get = (token?: string) => fetch(`${forge.apiUrl}/repos/acme/secret-fleet`, { headers: token ? { authorization: `token ${token}` } : {} });
    expect((await get()).status).toBe(404);
    expect((await get(TOKENS.classicNoRepo)).status).toBe(404);
    expect((await get(TOKENS.outsider)).status).toBe(404);
    const seen = await get(TOKENS.classic);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ private: true, visibility: 'private' });
    expect(await (await fetch(`${forge.apiUrl}/repos/acme/fleet`)).json()).toMatchObject({ private: false, visibility: 'public' });
  });
});
