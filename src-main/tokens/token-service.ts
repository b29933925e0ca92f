// The token service: for every Pipeline environment that promotes by pull request, find the
// Secret of its effective strategy, read it once per (context, namespace, name), inspect the
// token at its forge, and group everything by token fingerprint into a TokenReport.
//
// Security model:
// - Secrets are read with the user's own kubeconfig; RBAC decides and a 403 is shown as such.
// - A token value exists only inside `withPromotionToken`'s callback, for the duration of
//   the forge calls. What is cached (for a few minutes) is keyed by fingerprint and holds
//   no value. Reports, log lines and errors never contain a value.
// - A Pipeline names its repository URL, and anyone who can write a Pipeline could name any
//   host. So a token is sent only to a forge host the user configured or approved
//   (`mayContactHost`), and only over HTTPS (plain http only for loopback, see forge-url.ts).
//   A repository on any other host is reported as "not checked" with the host to approve;
//   its token never leaves this process.
// - Reading Secrets at all is the user's choice (`readSecrets`), not a side effect of opening
//   the Tokens view.

import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import type { PipelineTokenRef, SecretLocation, TokenActivity, TokenEntry, TokenIdentity, TokenProvider, TokenReport, TokenReportProblem, TokenState, TokenUse } from '../common/tokens';
import { mapBounded } from '../common/bounded';
import { createKubeTransport, BOARD_RESOURCES } from '../kube/kube-transport';
import type { Logger } from '../log/logger';
import { pipelineId } from '../pipelines/build-board';
import { parsePipeline } from '../pipelines/pipeline-schema';
import { effectiveStrategy } from '../pipelines/promotion-rules';
import { fetchAvatarDataUrl } from './avatar';
import { forgeTargetFor, type ForgeTarget } from '../forges/forge-url';
import { forgeKinds, type InspectorDeps } from '../forges/registry';
import type { TokenInspection, TokenInspector } from '../forges/token-inspector';
import { listWantedSecrets, reviewSecretAccess, withPromotionToken, type SecretFacts } from './secret-access';
import { EXPIRY_WARNING_DAYS, assessTokenRisks } from './token-risks';
import { TOKEN_KIND_LABELS, isPlausibleToken, tokenFingerprint } from '../forges/token-facts';

/** Raw Pipeline objects by management context, keyed "ns/name" (the board's input shape). */
export type PipelinesByContext = ReadonlyMap<string, ReadonlyMap<string, unknown>>;

export interface TokenServiceOptions {
  /**
   * Whether a token may be sent to this Git host ("host" or "host:port", lower case): the
   * hosts the user configured or approved. Required, so every caller decides.
   */
  mayContactHost: (host: string) => boolean;
  /** Whether the user chose to let Release Board read promotion Secrets (default: yes). */
  readSecrets?: () => boolean;
  /** Where the Pipelines come from: the board's informer caches, or `createPipelineLister`. */
  pipelines: () => PipelinesByContext | Promise<PipelinesByContext>;
  /** A client-node KubeConfig for a context (e.g. `loadKubeconfig().value.forContext`). */
  kubeconfigFor: (context: string) => KubeConfig;
  /** Per-provider inspectors; default GitHub and GitLab over `fetch`. */
  inspectors?: Partial<Record<TokenProvider, TokenInspector>>;
  /** Used by the default inspectors and for avatars. */
  fetch?: typeof fetch;
  logger?: Logger;
  now?: () => Date;
  /** How long a forge inspection is reused (default 5 minutes). */
  cacheTtlMs?: number;
  /** Fetch avatars into data: URLs (default true). */
  avatars?: boolean;
  /** Parallel Secret reads / forge inspections (default 8; forge calls per token are shared). */
  concurrency?: number;
  /** The signed-in user's GitLab session: reads a stored token's last use without using the token. */
  gitlabSession?: InspectorDeps['session'];
}

export interface TokenService {
  /** Builds the report; forge inspections younger than the cache TTL are reused unless `force`. */
  report(options?: { force?: boolean }): Promise<TokenReport>;
  /** Drops the cached inspection for one entry key (fingerprint or "secret:...") and rebuilds. */
  recheck(key: string): Promise<TokenReport>;
  /** The last report built, if any. */
  current(): TokenReport | undefined;
  /**
   * The last report if it is younger than `maxAgeMs` (default: the cache TTL), else a new one;
   * concurrent callers share one build. What a 'tokens:list' handler should call.
   */
  latest(options?: { maxAgeMs?: number }): Promise<TokenReport>;
  /** Called whenever a new report differs from the previous one; returns unsubscribe. */
  onChanged(listener: (report: TokenReport) => void): () => void;
  clearCache(): void;
}

interface CachedInspection {
  inspection: TokenInspection;
  activity: TokenActivity[];
  avatarDataUrl?: string;
  checkedAt: number;
}

interface SecretGroup {
  context: string;
  namespace: string;
  name: string;
  uses: TokenUse[];
}

interface SecretOutcome {
  group: SecretGroup;
  facts: SecretFacts;
  access: SecretLocation['access'];
  fingerprint?: string;
  cacheKey?: string;
  targetProblem?: { state: TokenState; message: string };
  unapprovedHost?: string;
}

const SCOPE = 'tokens';

const STATE_LABELS: Record<TokenState, string> = {
  valid: 'works',
  'expiring-soon': `works, expires within ${EXPIRY_WARNING_DAYS} days`,
  expired: 'expired',
  'revoked-or-expired': 'rejected by the forge (revoked or expired)',
  forbidden: 'you may not read this Secret',
  'secret-missing': 'the Secret does not exist',
  'key-missing': 'the Secret has no "token" key',
  'cluster-error': 'the cluster could not be asked',
  'forge-error': 'the forge could not be asked',
  'unsupported-provider': 'this Git provider cannot be inspected yet',
  'invalid-repo-url': 'the repository URL cannot be used',
  'host-not-approved': 'not checked: the Git host is not approved',
};

const STATE_RANK: Record<TokenState, number> = {
  expired: 0,
  'revoked-or-expired': 0,
  'secret-missing': 1,
  'key-missing': 1,
  'expiring-soon': 2,
  forbidden: 3,
  'cluster-error': 3,
  'forge-error': 3,
  'invalid-repo-url': 3,
  'host-not-approved': 3,
  'unsupported-provider': 4,
  valid: 5,
};

export function tokenStateLabel(state: TokenState): string {
  return STATE_LABELS[state];
}

/** Every promoted-into environment's strategy, from the raw Pipelines. */
export function collectTokenUses(pipelines: PipelinesByContext): { uses: TokenUse[]; refs: PipelineTokenRef[]; problems: TokenReportProblem[] } {
  const uses: TokenUse[] = [];
  const refs: PipelineTokenRef[] = [];
  const problems: TokenReportProblem[] = [];
  const multiple = pipelines.size > 1;
  for (const [context, objects] of pipelines) {
    for (const [key, raw] of objects) {
      const parsed = parsePipeline(raw, key);
      const id = pipelineId(parsed.namespace, parsed.name, context, multiple);
      const ref: PipelineTokenRef = { pipelineId: id, context, namespace: parsed.namespace, pipeline: parsed.name, environments: [] };
      // Environment i promotes into environment i+1: nothing is ever promoted into the first,
      // so its (inherited) strategy never uses a token.
      parsed.environments.forEach((env, index) => {
        if (index === 0) return;
        const strategy = effectiveStrategy(parsed.promotion, env);
        if (strategy.kind !== 'pull-request' || !strategy.provider || !strategy.repoUrl || !strategy.secretRef) {
          ref.environments.push({ environment: env.name, strategy: strategy.kind === 'pull-request' ? 'none' : strategy.kind });
          return;
        }
        uses.push({
          pipelineId: id,
          context,
          namespace: parsed.namespace,
          pipeline: parsed.name,
          environment: env.name,
          provider: strategy.provider,
          repoUrl: strategy.repoUrl,
          secretName: strategy.secretRef,
          strategySource: strategy.source,
        });
        ref.environments.push({ environment: env.name, strategy: 'pull-request' });
      });
      // A pipeline-wide Secret that every promoted-into environment overrides still stores a
      // live token: list it, marked as used by no promotion.
      const defaultPr = parsed.promotion?.strategy['pull-request'];
      if (defaultPr && !uses.some((u) => u.pipelineId === id && u.context === context && u.secretName === defaultPr.secretRef.name)) {
        uses.push({
          pipelineId: id,
          context,
          namespace: parsed.namespace,
          pipeline: parsed.name,
          environment: '(pipeline default)',
          provider: defaultPr.type,
          repoUrl: defaultPr.url,
          secretName: defaultPr.secretRef.name,
          strategySource: 'pipeline',
          referenceOnly: true,
        });
      }
      refs.push(ref);
    }
  }
  if (uses.length === 0 && refs.length > 0) problems.push({ code: 'no-pull-request-strategy', message: 'No pipeline promotes by pull request, so no token is involved.' });
  return { uses, refs, problems };
}

function secretKey(context: string, namespace: string, name: string): string {
  return `secret:${context}/${namespace}/${name}`;
}

function stateFromInspection(inspection: TokenInspection, knownExpiry: string | null | undefined, nowMs: number): TokenState {
  if (inspection.outcome === 'accepted') {
    const exp = inspection.expiresAt;
    if (typeof exp === 'string' && Date.parse(exp) - nowMs <= EXPIRY_WARNING_DAYS * 86_400_000) return 'expiring-soon';
    return 'valid';
  }
  if (inspection.outcome === 'rejected') {
    const exp = typeof inspection.expiresAt === 'string' ? inspection.expiresAt : knownExpiry;
    return typeof exp === 'string' && Date.parse(exp) <= nowMs ? 'expired' : 'revoked-or-expired';
  }
  return 'forge-error';
}

function secretState(status: SecretFacts['status']): TokenState {
  switch (status) {
    case 'forbidden':
      return 'forbidden';
    case 'secret-missing':
      return 'secret-missing';
    case 'key-missing':
      return 'key-missing';
    default:
      return 'cluster-error';
  }
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const now = options.now ?? (() => new Date());
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const logger = options.logger;
  const inspectors: Partial<Record<TokenProvider, TokenInspector>> = {
    // the service's clock, so the inspectors and the service agree on what has expired
    ...Object.fromEntries(
      forgeKinds().flatMap((kind) => {
        const inspector = kind.inspector({ now, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.gitlabSession ? { session: options.gitlabSession } : {}) });
        return kind.strategyProviders.map((provider) => [provider, inspector]);
      }),
    ),
    ...options.inspectors,
  };
  const cache = new Map<string, CachedInspection>();
  const inFlight = new Map<string, Promise<CachedInspection>>();
  // Expiry dates outlive the cache: a token rejected later can then be called "expired".
  const knownExpiry = new Map<string, string | null>();
  const listeners = new Set<(report: TokenReport) => void>();
  let last: TokenReport | undefined;
  let lastComparable = '';

  async function inspectToken(token: string, fingerprint: string, targets: ForgeTarget[], force: boolean): Promise<CachedInspection> {
    const target = targets[0]!;
    const cacheKey = `${fingerprint}@${target.apiBaseUrl}`;
    const cached = cache.get(cacheKey);
    if (!force && cached && now().getTime() - cached.checkedAt < ttl) return cached;
    const running = inFlight.get(cacheKey);
    if (running) return running;
    const inspector = inspectors[target.provider]!;
    const work = (async (): Promise<CachedInspection> => {
      const inspection = await inspector.inspect(token, target);
      const activity: TokenActivity[] = [];
      if (inspection.outcome === 'accepted' && inspection.lastUse) activity.push(inspection.lastUse);
      // Without a truthful last use, the newest promotion PR/MR by the token's user stands in.
      const lastUseKnown = inspection.lastUse?.kind === 'last-used' || inspection.lastUse?.kind === 'never-used';
      if (inspection.outcome === 'accepted' && inspection.identity && !lastUseKnown) {
        const seen = new Set<string>();
        for (const t of targets) {
          const k = `${t.apiBaseUrl}|${t.fullName}`;
          if (seen.has(k) || t.apiBaseUrl !== target.apiBaseUrl) continue;
          seen.add(k);
          activity.push(await inspector.recentActivity(token, t, inspection.identity.login));
        }
      }
      let avatarDataUrl: string | undefined;
      if (options.avatars !== false && inspection.identity?.avatarUrl && avatarHostAllowed(inspection.identity.avatarUrl, target.host, options.mayContactHost)) {
        avatarDataUrl = await fetchAvatarDataUrl(inspection.identity.avatarUrl, options.fetch ? { fetch: options.fetch } : {});
      }
      if (inspection.expiresAt !== undefined) knownExpiry.set(fingerprint, inspection.expiresAt);
      const entry: CachedInspection = { inspection, activity, checkedAt: now().getTime(), ...(avatarDataUrl ? { avatarDataUrl } : {}) };
      cache.set(cacheKey, entry);
      logger?.info(SCOPE, `fingerprint ${fingerprint} checked at ${target.host}: ${inspection.outcome}${inspection.message ? ` (${inspection.message})` : ''}`);
      return entry;
    })();
    inFlight.set(cacheKey, work);
    try {
      return await work;
    } finally {
      inFlight.delete(cacheKey);
    }
  }

  async function readSecret(
    group: SecretGroup,
    kubeconfigs: Map<string, KubeConfig | Error>,
    reviewMemos: Map<string, Map<string, Promise<unknown>>>,
    listings: Map<string, Promise<Map<string, V1Secret> | undefined>>,
    wantedByNamespace: Map<string, Set<string>>,
    force: boolean,
  ): Promise<SecretOutcome> {
    let kc = kubeconfigs.get(group.context);
    if (!kc) {
      try {
        kc = options.kubeconfigFor(group.context);
      } catch (e) {
        kc = e instanceof Error ? e : new Error(String(e));
      }
      kubeconfigs.set(group.context, kc);
    }
    const none = { hasToken: false, hasUsername: false, hasPassword: false };
    if (kc instanceof Error) {
      return {
        group,
        facts: { status: 'cluster-error', ...none, message: `no kubeconfig context "${group.context}": ${kc.message}` },
        access: { youCanGet: 'unknown', youCanListNamespace: 'unknown', method: 'none', summary: 'The cluster could not be asked.' },
      };
    }
    // The forge is the one of the pipelines that use this Secret (normally one repository).
    const targets: ForgeTarget[] = [];
    let targetProblem: SecretOutcome['targetProblem'];
    let unapprovedHost: string | undefined;
    for (const use of group.uses) {
      const t = forgeTargetFor(use.provider, use.repoUrl);
      if (!t.ok) targetProblem ??= { state: t.error.code === 'unsupported-provider' ? 'unsupported-provider' : 'invalid-repo-url', message: t.error.message };
      else if (options.mayContactHost(t.value.host)) targets.push(t.value);
      else unapprovedHost ??= t.value.host;
    }
    if (unapprovedHost && targets.length === 0) {
      targetProblem ??= { state: 'host-not-approved', message: `not checked: ${unapprovedHost} is not an approved Git host` };
      logger?.warn(SCOPE, `Secret ${group.namespace}/${group.name}: ${unapprovedHost} is not an approved Git host; its token was not sent there`);
    }
    // Namespaces holding several promotion Secrets are read with one list (where RBAC allows).
    const nsKey = `${group.context}/${group.namespace}`;
    const wanted = wantedByNamespace.get(nsKey);
    let listing = listings.get(nsKey);
    if (!listing && wanted && wanted.size > 1) listings.set(nsKey, (listing = listWantedSecrets(kc, group.namespace, wanted)));
    const listed = listing ? await listing : undefined;
    const read = await withPromotionToken(
      kc,
      group.namespace,
      group.name,
      async (token): Promise<{ fingerprint: string; cacheKey?: string; problem?: SecretOutcome['targetProblem'] }> => {
        const fingerprint = tokenFingerprint(token);
        if (!isPlausibleToken(token)) return { fingerprint, problem: { state: 'key-missing', message: 'the "token" value does not look like a token (spaces or control characters)' } };
        if (targets.length === 0) return { fingerprint };
        await inspectToken(token, fingerprint, targets, force);
        return { fingerprint, cacheKey: `${fingerprint}@${targets[0]!.apiBaseUrl}` };
      },
      listed,
    );
    let memo = reviewMemos.get(group.context);
    if (!memo) reviewMemos.set(group.context, (memo = new Map()));
    const access = await reviewSecretAccess(kc, group.namespace, group.name, read.facts.status, memo);
    if (read.facts.status === 'cluster-error') logger?.warn(SCOPE, `Secret ${group.namespace}/${group.name} in ${group.context}: ${read.facts.message ?? 'error'}`);
    const outcome: SecretOutcome = { group, facts: read.facts, access };
    if (read.result) {
      outcome.fingerprint = read.result.fingerprint;
      if (read.result.cacheKey) outcome.cacheKey = read.result.cacheKey;
      if (read.result.problem) outcome.targetProblem = read.result.problem;
    }
    if (targetProblem && !outcome.cacheKey) outcome.targetProblem ??= targetProblem;
    if (unapprovedHost && outcome.targetProblem?.state === 'host-not-approved') outcome.unapprovedHost = unapprovedHost;
    return outcome;
  }

  function location(o: SecretOutcome): SecretLocation {
    return {
      context: o.group.context,
      namespace: o.group.namespace,
      name: o.group.name,
      hasToken: o.facts.hasToken,
      hasUsername: o.facts.hasUsername,
      hasPassword: o.facts.hasPassword,
      access: o.access,
    };
  }

  function buildEntry(key: string, outcomes: SecretOutcome[], nowDate: Date): TokenEntry {
    const first = outcomes[0]!;
    const uses = outcomes.flatMap((o) => o.group.uses);
    const secrets = outcomes.map(location);
    const entry: TokenEntry = { key, state: 'cluster-error', stateLabel: '', secrets, uses, risks: [] };
    const provider = uses[0]?.provider;
    if (provider) entry.provider = provider;
    if (first.fingerprint) entry.fingerprint = first.fingerprint;
    const cached = first.cacheKey ? cache.get(first.cacheKey) : undefined;
    if (first.facts.status !== 'ok') {
      entry.state = secretState(first.facts.status);
      if (first.facts.message) entry.stateDetail = first.facts.message;
    } else if (first.targetProblem) {
      entry.state = first.targetProblem.state;
      entry.stateDetail = first.targetProblem.message;
      if (first.unapprovedHost) entry.unapprovedHost = first.unapprovedHost;
    } else if (cached) {
      const i = cached.inspection;
      const base = first.cacheKey!.slice(first.cacheKey!.indexOf('@') + 1);
      entry.apiBaseUrl = base;
      entry.state = stateFromInspection(i, first.fingerprint ? knownExpiry.get(first.fingerprint) : undefined, nowDate.getTime());
      entry.kind = i.kind;
      entry.kindLabel = TOKEN_KIND_LABELS[i.kind];
      if (i.identity) {
        const identity: TokenIdentity = { login: i.identity.login, type: i.identity.type };
        if (i.identity.name) identity.name = i.identity.name;
        if (i.identity.profileUrl) identity.profileUrl = i.identity.profileUrl;
        if (cached.avatarDataUrl) identity.avatarDataUrl = cached.avatarDataUrl;
        entry.identity = identity;
      }
      if (i.scopes !== undefined) entry.scopes = i.scopes;
      const expiry = i.expiresAt !== undefined ? i.expiresAt : first.fingerprint ? knownExpiry.get(first.fingerprint) : undefined;
      if (expiry !== undefined) entry.expiresAt = expiry;
      if (i.rateLimit) entry.rateLimit = i.rateLimit;
      if (i.repositories) entry.repositories = i.repositories;
      if (cached.activity.length > 0) entry.activity = cached.activity;
      if (i.message) entry.stateDetail = i.message;
      entry.checkedAt = new Date(cached.checkedAt).toISOString();
      const hosts = new Set(uses.map((u) => forgeTargetFor(u.provider, u.repoUrl)).flatMap((t) => (t.ok ? [t.value.apiBaseUrl] : [])));
      if (hosts.size > 1) entry.stateDetail = `${entry.stateDetail ? `${entry.stateDetail}; ` : ''}used with ${hosts.size} forges, checked against ${base} only`;
    } else {
      entry.state = 'forge-error';
      entry.stateDetail = 'the token was not inspected';
    }
    entry.stateLabel = STATE_LABELS[entry.state];
    entry.risks = assessTokenRisks(entry, nowDate);
    return entry;
  }

  async function build(force: boolean, forceKeys: ReadonlySet<string> = new Set()): Promise<TokenReport> {
    const pipelines = await options.pipelines();
    const { uses, refs, problems } = collectTokenUses(pipelines);
    if (options.readSecrets && !options.readSecrets()) {
      const report: TokenReport = { generatedAt: now().toISOString(), secretReading: 'not-enabled', entries: [], pipelines: refs, problems };
      logger?.info(SCOPE, `report built without reading Secrets (not enabled): ${refs.length} pipelines, ${uses.length} token uses`);
      publish(report);
      return report;
    }
    // One read per distinct Secret, however many environments share it.
    const groups = new Map<string, SecretGroup>();
    for (const use of uses) {
      const k = secretKey(use.context, use.namespace, use.secretName);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { context: use.context, namespace: use.namespace, name: use.secretName, uses: [] }));
      g.uses.push(use);
    }
    const kubeconfigs = new Map<string, KubeConfig | Error>();
    const reviewMemos = new Map<string, Map<string, Promise<unknown>>>();
    const listings = new Map<string, Promise<Map<string, V1Secret> | undefined>>();
    const wantedByNamespace = new Map<string, Set<string>>();
    for (const g of groups.values()) {
      const k = `${g.context}/${g.namespace}`;
      wantedByNamespace.set(k, (wantedByNamespace.get(k) ?? new Set()).add(g.name));
    }
    const outcomes = await mapBounded([...groups.values()], concurrency, (g) =>
      readSecret(g, kubeconfigs, reviewMemos, listings, wantedByNamespace, force || forceKeys.has(secretKey(g.context, g.namespace, g.name))),
    );
    const byKey = new Map<string, SecretOutcome[]>();
    for (const o of outcomes) {
      const key = o.fingerprint && o.facts.status === 'ok' ? o.fingerprint : secretKey(o.group.context, o.group.namespace, o.group.name);
      byKey.set(key, [...(byKey.get(key) ?? []), o]);
    }
    const nowDate = now();
    const entries = [...byKey].map(([key, os]) => buildEntry(key, os, nowDate));
    entries.sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || b.risks.length - a.risks.length || a.key.localeCompare(b.key));
    const entryKeyOf = new Map<string, string>();
    for (const e of entries) for (const s of e.secrets) entryKeyOf.set(secretKey(s.context, s.namespace, s.name), e.key);
    for (const ref of refs) {
      for (const env of ref.environments) {
        if (env.strategy !== 'pull-request') continue;
        const use = uses.find((u) => u.pipelineId === ref.pipelineId && u.environment === env.environment);
        const k = use ? entryKeyOf.get(secretKey(use.context, use.namespace, use.secretName)) : undefined;
        if (k) env.entryKey = k;
      }
    }
    const report: TokenReport = { generatedAt: nowDate.toISOString(), secretReading: 'enabled', entries, pipelines: refs, problems };
    logger?.info(SCOPE, `report built: ${refs.length} pipelines, ${groups.size} Secrets, ${entries.filter((e) => e.fingerprint).length} distinct tokens`);
    publish(report);
    return report;
  }

  function publish(report: TokenReport) {
    last = report;
    const comparable = JSON.stringify({ ...report, generatedAt: '' });
    if (comparable === lastComparable) return;
    lastComparable = comparable;
    for (const l of listeners) {
      try {
        l(report);
      } catch (e) {
        logger?.warn(SCOPE, `a report listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  let building: Promise<TokenReport> | undefined;
  const shared = (run: () => Promise<TokenReport>): Promise<TokenReport> => {
    if (!building) building = run().finally(() => (building = undefined));
    return building;
  };

  return {
    report: (opts = {}) => (opts.force === true ? build(true) : shared(() => build(false))),
    latest(opts = {}) {
      const maxAge = opts.maxAgeMs ?? ttl;
      if (last && now().getTime() - Date.parse(last.generatedAt) < maxAge) return Promise.resolve(last);
      return shared(() => build(false));
    },
    async recheck(key) {
      // Drop what is cached for this key, then rebuild; only its Secrets' tokens go back to the forge.
      const secretKeys = new Set<string>();
      for (const k of [...cache.keys()]) if (k.startsWith(`${key}@`)) cache.delete(k);
      const entry = last?.entries.find((e) => e.key === key);
      for (const s of entry?.secrets ?? []) secretKeys.add(secretKey(s.context, s.namespace, s.name));
      if (key.startsWith('secret:')) secretKeys.add(key);
      return build(false, secretKeys);
    },
    current: () => last,
    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clearCache() {
      cache.clear();
    },
  };
}

/** Well-known avatar hosts of a forge (avatars are public; no credential is ever sent). */
const AVATAR_HOSTS: Record<string, string[]> = { 'github.com': ['avatars.githubusercontent.com'], 'gitlab.com': ['secure.gravatar.com', 'gitlab.com'] };

/** Avatars come only from the approved forge itself, its subdomains, or its known avatar host. */
export function avatarHostAllowed(avatarUrl: string, forgeHost: string, mayContactHost: (host: string) => boolean): boolean {
  let host: string;
  try {
    host = new URL(avatarUrl).host.toLowerCase();
  } catch {
    return false;
  }
  if (!mayContactHost(forgeHost)) return false;
  return host === forgeHost || host.endsWith(`.${forgeHost}`) || (AVATAR_HOSTS[forgeHost] ?? []).includes(host);
}

/** Lists Pipelines once per context (for when no informer cache is at hand). */
export function createPipelineLister(options: { contexts: readonly string[]; kubeconfigFor: (context: string) => KubeConfig; version?: string }) {
  return async (): Promise<PipelinesByContext> => {
    const out = new Map<string, Map<string, unknown>>();
    for (const context of options.contexts) {
      const transport = createKubeTransport(options.kubeconfigFor(context), { ...BOARD_RESOURCES.Pipeline, version: options.version ?? 'v1alpha1' });
      const items = new Map<string, unknown>();
      let continueToken: string | undefined;
      do {
        const page = await transport.list({ limit: 500, ...(continueToken ? { continueToken } : {}) });
        for (const item of page.items) {
          const meta = (item as { metadata?: { namespace?: string; name?: string } }).metadata;
          items.set(`${meta?.namespace ?? ''}/${meta?.name ?? ''}`, item);
        }
        continueToken = page.continueToken;
      } while (continueToken);
      out.set(context, items);
    }
    return out;
  };
}
