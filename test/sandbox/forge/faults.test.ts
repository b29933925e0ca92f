// Fault injection, the request log and stop/restart of the sandbox forge.
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startForge, type Forge } from './index.js';
import { TOKENS, forgeSeed } from './fixture.js';

let forge: Forge;
const kit = (): Octokit => new Octokit({ baseUrl: forge.apiUrl, auth: TOKENS.classic, log: { debug() {}, info() {}, warn() {}, error() {} } });

async function statusOf(p: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown>; headers: Record<string, string | undefined> }> {
  try {
    const r = (await p) as { status: number; data: Record<string, unknown>; headers: Record<string, string | undefined> };
    return r;
  } catch (e) {
    const err = e as { status: number; response?: { data: unknown; headers: Record<string, string | undefined> } };
    return { status: err.status, data: (err.response?.data ?? {}) as Record<string, unknown>, headers: err.response?.headers ?? {} };
  }
}

beforeAll(async () => {
  forge = await startForge({ seed: forgeSeed() });
});

afterAll(async () => {
  await forge.close();
});

beforeEach(() => {
  forge.load(forgeSeed());
  forge.faults.clear();
  forge.requestLog.reset();
});

describe('faults', () => {
  it('fails the next n matching requests, then recovers', async () => {
    forge.faults.failNext(2, 502, { method: 'GET', pathIncludes: '/pulls' });
    const octo = kit();
    // a non-matching request is unaffected
    expect((await statusOf(octo.rest.repos.get({ owner: 'acme', repo: 'fleet' }))).status).toBe(200);
    const first = await statusOf(octo.rest.pulls.list({ owner: 'acme', repo: 'fleet' }));
    expect(first.status).toBe(502);
    expect(first.data.message).toBe('Bad Gateway');
    expect((await statusOf(octo.rest.pulls.list({ owner: 'acme', repo: 'fleet' }))).status).toBe(502);
    expect((await statusOf(octo.rest.pulls.list({ owner: 'acme', repo: 'fleet' }))).status).toBe(200);
  });

  it('answers the secondary rate limit with 403, Retry-After and GitHub message', async () => {
    forge.faults.secondaryRateLimit(1, 42);
    const octo = kit();
    const limited = await statusOf(octo.rest.pulls.list({ owner: 'acme', repo: 'fleet' }));
    expect(limited.status).toBe(403);
    expect(limited.headers['retry-after']).toBe('42');
    expect(Number(limited.headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
    expect(String(limited.data.message)).toMatch(/^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\./);
    expect((await statusOf(octo.rest.pulls.list({ owner: 'acme', repo: 'fleet' }))).status).toBe(200);
  });

  it('still answers correctly with latency injected', async () => {
    forge.faults.setLatency(50);
    const res = await kit().rest.users.getAuthenticated();
    expect(res.data.login).toBe('alice');
  });
});

describe('request log', () => {
  it('counts requests per octokit-style route and resets', async () => {
    const octo = kit();
    await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet' });
    await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet', state: 'all' });
    await octo.rest.pulls.get({ owner: 'acme', repo: 'fleet', pull_number: 1 });
    expect(forge.requestLog.count('GET /repos/{owner}/{repo}/pulls')).toBe(2);
    expect(forge.requestLog.count('GET /repos/{owner}/{repo}/pulls/{pull_number}')).toBe(1);
    const [entry] = forge.requestLog.entries('GET /repos/{owner}/{repo}/pulls/{pull_number}');
    expect(entry).toMatchObject({ status: 200, login: 'alice', path: '/api/v3/repos/acme/fleet/pulls/1' });
    forge.requestLog.reset();
    expect(forge.requestLog.count()).toBe(0);
  });
});

describe('lifecycle', () => {
  it('stops refusing connections and restarts on the same port with the same state', async () => {
    const url = forge.url;
    const sha = forge.state.commitFiles('acme/fleet', 'kept', { 'k.txt': 'k\n' }, 'kept', 'alice');
    await forge.stop();
    await expect(fetch(`${forge.apiUrl}/rate_limit`)).rejects.toThrow();
    await forge.restart();
    expect(forge.url).toBe(url);
    const ref = await kit().rest.git.getRef({ owner: 'acme', repo: 'fleet', ref: 'heads/kept' });
    expect(ref.data.object.sha).toBe(sha);
  });

  it('answers unknown API paths with GitHub 404 JSON', async () => {
    const res = await fetch(`${forge.apiUrl}/nope/nothing`, { headers: { authorization: `token ${TOKENS.classic}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'Not Found', status: '404' });
    expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
  });
});
