// The token service against the demo sandbox: real Kubernetes API (RBAC, TLS) through the
// user's kubeconfig and the GitHub-compatible forge. Every seeded token situation must show
// its exact state, and no token value may appear in a report, a log record or anywhere in
// the returned objects.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenEntry, TokenReport } from '../../src-main/common/tokens';
import { tokenEntryFor } from '../../src-main/common/tokens';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import { createMemoryLogger } from '../../src-main/log/logger';
import { createPipelineLister, createTokenService, type TokenService, type TokenServiceOptions } from '../../src-main/tokens/token-service';
import { GL_ELEVEN_DAYS_MS } from '../sandbox/gitlab/fixture';
import { sandboxForgeHosts, startSandbox, type Sandbox } from '../sandbox/index';
import { DEMO_MERGED_PROMOTIONS } from '../sandbox/seeds/demo';

let sandbox: Sandbox;

function serviceFor(kubeconfigPath: string, logger = createMemoryLogger(), extra: Pick<TokenServiceOptions, 'now' | 'cacheTtlMs' | 'gitlabSession'> = {}): TokenService {
  const loaded = loadKubeconfig({ explicitPath: kubeconfigPath });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const kubeconfigFor = (context: string) => loaded.value.forContext(context);
  return createTokenService({
    mayContactHost: sandboxForgeHosts(sandbox),
    pipelines: createPipelineLister({ contexts: [sandbox.info.managementCluster], kubeconfigFor }),
    kubeconfigFor,
    logger,
    ...extra,
  });
}

function entryOf(report: TokenReport, pipeline: string, env: string): TokenEntry {
  const ns = report.pipelines.find((p) => p.pipeline === pipeline)?.namespace;
  const entry = tokenEntryFor(report, `${ns}/${pipeline}`, env);
  if (!entry) throw new Error(`no token entry for ${pipeline}/${env}`);
  return entry;
}

function fingerprintOf(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

/** Every string reachable from a value (own properties, arrays, maps), to search for secrets. */
function allStrings(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) {
        allStrings(k, out, seen);
        allStrings(v, out, seen);
      }
    } else for (const key of Reflect.ownKeys(value)) allStrings((value as Record<PropertyKey, unknown>)[key], out, seen);
  }
  return out;
}

/** GitLab token values from the demo seed's GitLab part; without it these tests fail, never skip. */
function gitlabTokens(): Record<string, string> {
  const tokens = sandbox.users.gitlab?.tokens;
  if (!tokens) throw new Error('the demo seed has no GitLab part (test/sandbox/seeds/gitlab-demo.ts), so the GitLab token cases cannot run');
  return tokens;
}

function secretForms(): string[] {
  const values = [...Object.values(sandbox.users.tokens), ...Object.values(gitlabTokens())];
  expect(values.length).toBeGreaterThanOrEqual(7);
  return values.flatMap((v) => [v, Buffer.from(v).toString('base64'), v.slice(4, 24)]);
}

function expectNoTokenValues(...things: unknown[]) {
  const forms = secretForms();
  for (const thing of things) {
    const json = JSON.stringify(thing);
    const strings = allStrings(thing);
    for (const form of forms) {
      expect(json.includes(form), 'a token value appears in JSON').toBe(false);
      expect(
        strings.some((s) => s.includes(form)),
        'a token value appears in an object',
      ).toBe(false);
    }
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('token report with the admin kubeconfig', () => {
  let report: TokenReport;
  const logger = createMemoryLogger();
  let service: TokenService;

  beforeAll(async () => {
    sandbox.cluster(sandbox.info.managementCluster).api.requestLog.reset();
    sandbox.forge.server.requestLog.reset();
    service = serviceFor(sandbox.kubeconfig, logger);
    report = await service.report();
  });

  it('shows a valid classic PAT of a bot: who, kind, scopes, no expiry, newest promotion PR', () => {
    const e = entryOf(report, 'checkout', 'prod');
    expect(e.state).toBe('valid');
    expect(e.stateLabel).toBe('works');
    expect(e.fingerprint).toBe(fingerprintOf(sandbox.users.tokens.classic!));
    expect(e.key).toBe(e.fingerprint);
    expect(e.kind).toBe('github-classic');
    expect(e.kindLabel).toBe('classic personal access token');
    expect(e.identity).toMatchObject({ login: 'promotion-bot', name: 'Promotion Bot', type: 'Bot' });
    expect(e.identity?.avatarDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(e.scopes).toEqual(['repo']);
    expect(e.expiresAt).toBeNull();
    expect(e.rateLimit?.limit).toBeGreaterThan(0);
    expect(e.apiBaseUrl).toBe(sandbox.forge.apiUrl);
    const activity = e.activity?.[0];
    expect(activity?.kind).toBe('newest-promotion-pr');
    expect(activity?.label).toMatch(/^newest promotion PR by promotion-bot: #1, \d{4}-\d{2}-\d{2}$/);
    expect(e.risks.map((r) => r.id).sort()).toEqual(['broad-scope', 'no-expiry', 'secret-readable-by-you']);
    expect(e.secrets).toEqual([expect.objectContaining({ namespace: 'team-payments', name: 'checkout-promotion', hasToken: true, hasUsername: true, hasPassword: true })]);
    // staging and prod both promote with the same Secret
    expect(entryOf(report, 'checkout', 'staging').key).toBe(e.key);
  });

  it('shows a fine-grained token: no scopes header, an expiry, a bot', () => {
    const e = entryOf(report, 'ledger', 'prod');
    expect(e.state).toBe('valid');
    expect(e.kind).toBe('github-fine-grained');
    expect(e.scopes).toBeNull();
    expect(typeof e.expiresAt).toBe('string');
    const days = (Date.parse(e.expiresAt as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(40);
    expect(e.risks.map((r) => r.id)).toEqual(['secret-readable-by-you']);
  });

  it('shows a token expiring within 14 days as expiring-soon with that risk', () => {
    const e = entryOf(report, 'cert-manager', 'prod');
    expect(e.state).toBe('expiring-soon');
    expect(e.stateLabel).toBe('works, expires within 14 days');
    const risk = e.risks.find((r) => r.id === 'expires-soon');
    expect(risk?.title).toMatch(/^The token expires in [45] days$/);
    expect(risk?.guidance).toBe('docs/token-guidance.md#rotate-before-expiry');
  });

  it('shows expired and revoked tokens as rejected by the forge', () => {
    for (const [pipeline, label] of [
      ['fraud-detector', 'expired'],
      ['search-indexer', 'revoked'],
    ] as const) {
      const e = entryOf(report, pipeline, 'prod');
      expect(e.state).toBe('revoked-or-expired');
      expect(e.stateLabel).toBe('rejected by the forge (revoked or expired)');
      expect(e.fingerprint).toBe(fingerprintOf(sandbox.users.tokens[label]!));
      expect(e.identity).toBeUndefined();
      expect(e.risks[0]?.id).toBe('expired-or-revoked');
    }
  });

  it('shows a missing Secret and a Secret without the token key', () => {
    const missing = entryOf(report, 'query-gateway', 'prod');
    expect(missing.state).toBe('secret-missing');
    expect(missing.key).toBe('secret:mgmt/team-search/query-gateway-promotion');
    expect(missing.fingerprint).toBeUndefined();
    // a missing Secret stops automated promotions: a risk with its fix (the three keys)
    expect(missing.risks.map((r) => r.id)).toEqual(['secret-missing']);
    expect(missing.risks[0]?.saferAlternative).toContain('token, username and password');
    const noKey = entryOf(report, 'search-ui', 'prod');
    expect(noKey.state).toBe('key-missing');
    expect(noKey.stateLabel).toBe('the Secret has no "token" key');
    expect(noKey.stateDetail).toBe('the Secret has no "token" key (keys present: password, username)');
    expect(noKey.secrets[0]).toMatchObject({ hasToken: false, hasUsername: true, hasPassword: true });
  });

  it('groups a shared token by fingerprint, with its risks', () => {
    const ranker = entryOf(report, 'ranker', 'prod');
    const autocomplete = entryOf(report, 'autocomplete', 'prod');
    expect(ranker.key).toBe(autocomplete.key);
    expect(ranker.fingerprint).toBe(fingerprintOf(sandbox.users.tokens.shared!));
    expect(ranker.secrets.map((s) => s.name).sort()).toEqual(['autocomplete-promotion', 'ranker-promotion']);
    expect(new Set(ranker.uses.map((u) => u.pipelineId))).toEqual(new Set(['team-search/ranker', 'team-search/autocomplete']));
    expect(ranker.identity).toMatchObject({ login: 'dev-bob', type: 'User' });
    expect(ranker.risks.map((r) => r.id).sort()).toEqual(['broad-scope', 'no-expiry', 'personal-account', 'secret-readable-by-you', 'shared-token']);
    expect(ranker.risks.find((r) => r.id === 'shared-token')?.title).toBe('The same token is used by 2 pipelines');
    // the open promotion PR and the merged ones the demo keeps for the release log (dev-bob only approved those)
    expect(ranker.activity?.[0]?.label).toBe(`no promotion PR by dev-bob in the ${1 + DEMO_MERGED_PROMOTIONS.length} newest PRs of acme/fleet-config`);
    expect(report.entries.filter((e) => e.key === ranker.key)).toHaveLength(1);
  });

  it('lists a notification pipeline without a token and skips the first environment', () => {
    const ref = report.pipelines.find((p) => p.pipeline === 'payments-api');
    expect(ref?.environments).toEqual([
      { environment: 'staging', strategy: 'notification' },
      { environment: 'prod', strategy: 'notification' },
    ]);
    expect(report.pipelines.find((p) => p.pipeline === 'checkout')?.environments.map((e) => e.environment)).toEqual(['staging', 'prod']);
  });

  it('reads each distinct Secret exactly once, however many environments use it: one list per namespace holding several', () => {
    const entries = sandbox
      .cluster(sandbox.info.managementCluster)
      .api.requestLog.entries()
      .filter((e) => e.method === 'GET');
    const pathOf = (e: { path: string }) => e.path.split('?')[0]!;
    const gets = new Map<string, number>();
    for (const r of entries.filter((e) => /^\/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/.test(pathOf(e)))) gets.set(pathOf(r), (gets.get(pathOf(r)) ?? 0) + 1);
    const lists = new Map<string, number>();
    for (const r of entries.filter((e) => /^\/api\/v1\/namespaces\/[^/]+\/secrets$/.test(pathOf(e)))) {
      const ns = pathOf(r).split('/')[4]!;
      lists.set(ns, (lists.get(ns) ?? 0) + 1);
    }
    const secrets = [...new Set(report.entries.flatMap((e) => e.secrets.map((x) => `${x.namespace}/${x.name}`)))];
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    const perNamespace = new Map<string, number>();
    for (const key of secrets) perNamespace.set(key.split('/')[0]!, (perNamespace.get(key.split('/')[0]!) ?? 0) + 1);
    for (const key of secrets) {
      const [ns, name] = key.split('/') as [string, string];
      const own = gets.get(`/api/v1/namespaces/${ns}/secrets/${name}`) ?? 0;
      const listed = lists.get(ns) ?? 0;
      // read once: by its own GET, or by its namespace's single list (the admin may list)
      expect(own + listed, key).toBe(1);
      expect(listed, key).toBe(perNamespace.get(ns)! > 1 ? 1 : 0);
    }
    // fraud-detector promotes into three environments with one Secret, in a namespace of several
    expect(lists.get('team-payments')).toBe(1);
    expect(gets.get('/api/v1/namespaces/team-payments/secrets/fraud-detector-promotion')).toBeUndefined();
  });

  it('asks the forge once per distinct token and reuses the cache, re-checking on demand', async () => {
    const log = sandbox.forge.server.requestLog;
    // Rejected requests never reach a route, so match on the path.
    const userCalls = () => log.entries().filter((e) => e.method === 'GET' && /\/user$/.test(e.path.split('?')[0]!));
    // 7 distinct tokens reached the forge: 5 accepted, 2 rejected
    expect(userCalls()).toHaveLength(7);
    expect(userCalls().filter((e) => e.status === 401)).toHaveLength(2);
    log.reset();
    const again = await service.report();
    expect(userCalls()).toHaveLength(0);
    // latest() reuses a fresh report without touching the cluster
    const kube = sandbox.cluster(sandbox.info.managementCluster).api.requestLog;
    const before = kube.count();
    expect(await service.latest()).toBe(again);
    expect(kube.count()).toBe(before);
    expect(again.entries.map((e) => e.key)).toEqual(report.entries.map((e) => e.key));
    const key = entryOf(again, 'checkout', 'prod').key;
    const rechecked = await service.recheck(key);
    expect(userCalls()).toHaveLength(1);
    expect(userCalls()[0]?.login).toBe('promotion-bot');
    expect(entryOf(rechecked, 'checkout', 'prod').state).toBe('valid');
  });

  it('never puts a token value in a report, a log record or a returned object', async () => {
    expect(logger.records.length).toBeGreaterThan(0);
    expect(logger.records.some((r) => r.message.includes('fingerprint'))).toBe(true);
    expectNoTokenValues(report, logger.records, service.current(), await service.report({ force: true }));
    expect(logger.records.every((r) => !r.message.includes('[REDACTED]'))).toBe(true);
  });
});

describe("GitLab tokens (the demo seed's GitLab part)", () => {
  it('shows who, scopes, expiry and the last use GitLab reports, and revoked tokens', async () => {
    const tokens = gitlabTokens();
    const logger = createMemoryLogger();
    const report = await serviceFor(sandbox.kubeconfig, logger).report();
    const byLabel = (label: string) => {
      const value = tokens[label];
      if (!value) throw new Error(`no GitLab token ${label}`);
      const entry = report.entries.find((e) => e.fingerprint === fingerprintOf(value));
      if (!entry) throw new Error(`no entry for GitLab token ${label}`);
      return entry;
    };
    const pat = byLabel('gitlabPat');
    expect(pat).toMatchObject({ state: 'valid', provider: 'gitlab', kind: 'gitlab-access-token', identity: { login: 'gitlab-promoter', type: 'User' }, scopes: ['api'] });
    // without a GitLab sign-in, the only figure is the check itself: not a last use
    expect(pat.activity?.[0]).toMatchObject({ kind: 'unknown', label: expect.stringContaining('sign in to GitLab') });
    expect(pat.activity?.[1]?.kind).toMatch(/^(newest-promotion-pr|no-promotion-pr)$/);
    expect(pat.risks.map((r) => r.id)).toContain('personal-account');
    const bot = byLabel('gitlabProjectBot');
    expect(bot).toMatchObject({ state: 'valid', identity: { type: 'Bot' } });
    expect(bot.risks.map((r) => r.id)).not.toContain('broad-scope');
    // cert-rotation's pipeline-wide token: staging is never promoted into and prod overrides it
    const unused = byLabel('gitlabExpiringSoon');
    expect(unused.state).toBe('expiring-soon');
    expect(unused.uses.every((u) => u.referenceOnly === true)).toBe(true);
    expect(unused.risks.map((r) => r.id)).toEqual(expect.arrayContaining(['expires-soon', 'unused-token']));
    expect(byLabel('gitlabRevoked').state).toBe('revoked-or-expired');
    expectNoTokenValues(report, logger.records);
  });
});

describe('GitLab last use with the release manager signed in', () => {
  it('a project token last used 11 days ago is still reported as 11 days ago after the view checked it twice', async () => {
    const tokens = gitlabTokens();
    const gitlab = sandbox.gitlab?.server;
    if (!gitlab) throw new Error('the demo seed should start the GitLab forge');
    const botToken = tokens.gitlabProjectBot as string;
    // earlier tests checked this token too (GitLab counted that): it was last used 11 days ago as far as this test goes
    const record = gitlab.state.raw.tokens.get(botToken);
    if (!record) throw new Error('no project bot token in the GitLab sandbox');
    // on the forge's own clock, which judges last use
    const forgeNow = () => gitlab.state.raw.now().getTime();
    const seeded = (record.lastUsedAt = new Date(forgeNow() - GL_ELEVEN_DAYS_MS).toISOString());
    const signedIn = gitlab.signIn(gitlab.state.raw.signInUser);
    const service = serviceFor(sandbox.kubeconfig, createMemoryLogger(), {
      gitlabSession: { withSessionToken: async (api, fn) => (api === gitlab.apiUrl ? fn(signedIn) : undefined) },
    });
    const first = (await service.report({ force: true })).entries.find((e) => e.fingerprint === fingerprintOf(botToken));
    const second = (await service.recheck(fingerprintOf(botToken))).entries.find((e) => e.fingerprint === fingerprintOf(botToken));
    for (const entry of [first, second]) expect(entry?.activity?.[0]).toMatchObject({ kind: 'last-used', at: seeded, label: expect.stringContaining('with your sign-in') });
    // GitLab itself now says "today": the board's first check was a use
    expect(forgeNow() - Date.parse(record.lastUsedAt ?? '')).toBeLessThan(86_400_000);
  });
});

describe('token report with the viewer kubeconfig (no Secrets)', () => {
  it('shows every Secret as forbidden and sends nothing to the forge', async () => {
    const logger = createMemoryLogger();
    sandbox.forge.server.requestLog.reset();
    const report = await serviceFor(sandbox.viewerKubeconfig, logger).report();
    expect(report.entries.length).toBeGreaterThanOrEqual(10);
    // one entry per Secret: nothing could be grouped without reading the tokens
    expect(new Set(report.entries.flatMap((e) => e.secrets.map((x) => `${x.namespace}/${x.name}`))).size).toBe(report.entries.length);
    for (const e of report.entries) {
      expect(e.state).toBe('forbidden');
      expect(e.stateLabel).toBe('you may not read this Secret');
      expect(e.fingerprint).toBeUndefined();
      expect(e.secrets[0]?.access.youCanGet).toBe('no');
      expect(e.risks).toEqual([]);
    }
    expect(entryOf(report, 'checkout', 'prod').key).toBe('secret:mgmt/team-payments/checkout-promotion');
    expect(sandbox.forge.server.requestLog.count()).toBe(0);
    expectNoTokenValues(report, logger.records);
  });
});

describe('known expiry', () => {
  it('calls a rejected token "expired" once a known expiry has passed', async () => {
    // The forge still accepts the token; the service's clock moves past its known expiry and
    // the forge is made to reject it, as GitHub does after expiry.
    let clock = new Date();
    // A long cache keeps the other tokens away from the forge, so the one injected 401 hits ours.
    const service = serviceFor(sandbox.kubeconfig, createMemoryLogger(), { now: () => clock, cacheTtlMs: 365 * 86_400_000 });
    const first = await service.report();
    const soon = entryOf(first, 'cert-manager', 'prod');
    expect(soon.state).toBe('expiring-soon');
    clock = new Date(Date.parse(soon.expiresAt as string) + 60_000);
    sandbox.forge.server.faults.failNext(1, 401, { method: 'GET', pathIncludes: '/user' });
    const later = await service.recheck(soon.key);
    const e = entryOf(later, 'cert-manager', 'prod');
    expect(e.state).toBe('expired');
    expect(e.risks[0]).toMatchObject({ id: 'expired-or-revoked', title: 'The token has expired' });
  });
});
