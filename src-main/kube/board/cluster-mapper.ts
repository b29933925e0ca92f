// Which kubeconfig context reaches a GitopsCluster: the user's mapping in Settings, else a
// context of the same name, else, when the user opted in (gitopsClusterSecrets), the
// GitopsCluster's kubeconfig Secret read with the management context's credentials: one get
// when a target first needs it, again on reload, when the GitopsCluster object changes, and
// on a 401 from that cluster (rotated credentials). A Secret-backed cluster is reached through
// a pseudo-context labelled "via GitopsCluster Secret ns/name".
//
// Security model: the Secret's kubeconfig stays in the KubeConfig held by its mapping; states,
// messages and logs carry names only.

import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterState, Problem } from '../../common/board';
import type { Logger } from '../../log/logger';
import type { GitopsClusterRef } from '../../pipelines/build-board';
import { backoffDelay, type BackoffOptions } from '../backoff';
import { describeKubeError, toKubeRequestError } from '../errors';
import { gitopsClusterSecretRef, type GitopsClusterSecretRef, type SecretReadResult } from '../gitops-cluster-secret';
import type { SecretCredentials } from './cluster-connections';

export interface ClusterMapperOptions {
  /** "mgmtContext/ns/name", "ns/name" or "name" → context. */
  overrides?: Record<string, string> | undefined;
  /** Whether the user allows reading GitopsCluster Secrets; read at each decision. */
  secretsAllowed?: (() => boolean) | undefined;
  /** The listed GitopsCluster object, or undefined while not listed / missing. */
  gitopsCluster: (ref: GitopsClusterRef) => unknown;
  /** The management context's KubeConfig (its credentials read the Secret). */
  managementKubeConfig: (context: string) => KubeConfig | undefined;
  managementContextCount: () => number;
  readSecret: (management: KubeConfig, ref: GitopsClusterSecretRef) => Promise<SecretReadResult>;
  /** A Secret read settled (the mapping may now reach the cluster, or say why not). */
  onSecretRead: () => void;
  /** The Secret-backed context with this label must reconnect (credentials changed or gone). */
  dropContext: (label: string) => void;
  logger?: Logger | undefined;
  backoff?: BackoffOptions | undefined;
  random?: () => number;
  /** Milliseconds clock for the re-read rate limit. */
  clock?: () => number;
}

/** What is known about reaching one GitopsCluster through its kubeconfig Secret. */
interface SecretMapping {
  /** "mgmtContext/ns/name" of the GitopsCluster. */
  key: string;
  ref: GitopsClusterRef;
  secret: GitopsClusterSecretRef;
  /** The runtime (pseudo-context) name, also the label the board shows. */
  label: string;
  /** The GitopsCluster object it was read for: a replaced object means "read again". */
  gitopsCluster: unknown;
  status: 'pending' | 'ready' | 'failed';
  /** Bumped per read; results of older reads are dropped. */
  generation: number;
  inFlight: boolean;
  kc?: KubeConfig;
  fingerprint?: string;
  failure?: { state: ClusterState['state']; message: string; problem: Problem };
  failures: number;
  retryTimer?: NodeJS.Timeout;
  refreshedAt: number;
}

type Reason = { state: ClusterState['state']; message: string; problem?: Problem };

const REREAD_EVERY_MS = 30_000;

export class ClusterMapper {
  private overrides: Record<string, string>;
  private hasOverrides: boolean;
  /** Called once per target per build: a Set, not a scan of the kubeconfig's contexts. */
  private contextNames: ReadonlySet<string> = new Set();
  /** By GitopsCluster key "mgmt/ns/name". */
  private readonly mappings = new Map<string, SecretMapping>();
  /** By label (the runtime name). */
  private readonly byLabel = new Map<string, SecretMapping>();
  private stopped = false;
  private readonly clock: () => number;

  constructor(private readonly opts: ClusterMapperOptions) {
    this.overrides = { ...(opts.overrides ?? {}) };
    this.hasOverrides = Object.keys(this.overrides).length > 0;
    this.clock = opts.clock ?? Date.now;
  }

  setOverrides(overrides: Record<string, string>): void {
    this.overrides = { ...overrides };
    this.hasOverrides = Object.keys(this.overrides).length > 0;
  }

  setContextNames(names: Iterable<string>): void {
    this.contextNames = new Set(names);
  }

  secretsAllowed(): boolean {
    try {
      return this.opts.secretsAllowed?.() === true;
    } catch {
      return false;
    }
  }

  /**
   * The context for a GitopsCluster, or undefined. `read` false only consults what is known
   * (the early prefetch must not read Secrets no target uses).
   */
  contextFor(ref: GitopsClusterRef, read = true): string | undefined {
    const o = this.overrides;
    // Own keys only: a GitopsCluster named "constructor" must not map to Object.prototype's.
    const own = (k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
    const override = this.hasOverrides ? (own(`${ref.managementContext}/${ref.namespace}/${ref.name}`) ?? own(`${ref.namespace}/${ref.name}`) ?? own(ref.name)) : undefined;
    if (override) return override;
    if (this.contextNames.has(ref.name)) return ref.name;
    return this.secretsAllowed() ? this.secretContext(ref, read) : undefined;
  }

  /** Why a target on an unmapped GitopsCluster has no context (for its cell). */
  unmappedCell(ref: GitopsClusterRef): { message: string; problem?: Problem } | undefined {
    if (!this.secretsAllowed()) {
      return {
        message: `No kubeconfig context for cluster ${ref.name}`,
        problem: {
          code: 'cluster-unmapped',
          message: `No kubeconfig context matches GitopsCluster ${ref.name}`,
          hint: `Add a kubeconfig context named "${ref.name}", map one in Settings, or allow Release Board to use the GitopsCluster's kubeconfig Secret in Settings.`,
        },
      };
    }
    const mapping = this.mappings.get(mappingKey(ref));
    return mapping ? reasonOf(mapping) : undefined;
  }

  /** The state shown for a GitopsCluster (by display name) that targets use and no context reaches. */
  unmappedState(name: string): ClusterState {
    const allowed = this.secretsAllowed();
    // Targets carry the cluster's display name only; a GitopsCluster name is what the user
    // sees for it, so the first mapping of that name speaks for it.
    const mapping = allowed ? [...this.mappings.values()].find((m) => m.ref.name === name) : undefined;
    const why = mapping ? reasonOf(mapping) : undefined;
    if (why) return { name, state: why.state, message: why.message };
    const message = allowed
      ? `No kubeconfig context for GitopsCluster "${name}"`
      : `No kubeconfig context for GitopsCluster "${name}"; add one, map one in Settings, or allow Release Board to use the GitopsCluster's kubeconfig Secret in Settings`;
    return { name, state: 'no-context', message };
  }

  /** The Secret-backed context with this label, for the connections. */
  credentials(label: string): SecretCredentials | undefined {
    const mapping = this.byLabel.get(label);
    if (!mapping) return undefined;
    const out: SecretCredentials = { clusterName: mapping.ref.name };
    if (mapping.status === 'ready' && mapping.kc) {
      out.kc = mapping.kc;
      out.fingerprint = mapping.fingerprint ?? '';
    }
    return out;
  }

  /** A Secret-backed cluster answered 401: the Secret may have been rotated; read it again (at most every 30 s). */
  unauthorized(label: string): void {
    const mapping = this.byLabel.get(label);
    if (mapping && !mapping.inFlight && this.clock() - mapping.refreshedAt >= REREAD_EVERY_MS) this.read(mapping);
  }

  /** Whether a Secret read the board waits for is outstanding. */
  anyPending(): boolean {
    for (const mapping of this.mappings.values()) if (mapping.status === 'pending') return true;
    return false;
  }

  /**
   * After a reload (how a changed opt-in or a rotated Secret is picked up): forgets mappings no
   * longer allowed, for a management context gone, or no target uses; reads the others again.
   */
  reload(managementContexts: readonly string[], used: (ref: GitopsClusterRef) => boolean): void {
    const allowed = this.secretsAllowed();
    for (const mapping of [...this.mappings.values()]) {
      if (!allowed || !managementContexts.includes(mapping.ref.managementContext) || !used(mapping.ref)) this.drop(mapping);
    }
    for (const mapping of this.mappings.values()) if (mapping.secret.name) this.read(mapping);
  }

  stop(): void {
    this.stopped = true;
    for (const mapping of this.mappings.values()) if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
  }

  /** The Secret-backed context for a GitopsCluster no context maps to: its label once read. */
  private secretContext(ref: GitopsClusterRef, read: boolean): string | undefined {
    const gc = this.opts.gitopsCluster(ref);
    if (gc === undefined) return undefined; // missing or not listed yet: the row says so
    let mapping = this.mappings.get(mappingKey(ref));
    const want = gitopsClusterSecretRef(gc, ref.namespace);
    const moved = typeof want === 'string' ? mapping?.secret.name !== '' : mapping?.secret.namespace !== want.namespace || mapping?.secret.name !== want.name;
    if (mapping && moved) {
      this.drop(mapping); // the GitopsCluster now names another Secret (or none)
      mapping = undefined;
    }
    if (!mapping) {
      if (!read) return undefined;
      mapping = this.create(ref, gc, want);
    } else if (read && mapping.gitopsCluster !== gc && !mapping.inFlight) {
      // Informer objects are replaced on change: e.g. the Secret was created and the
      // GitopsCluster turned Ready, or its status moved on. Read the Secret again.
      mapping.gitopsCluster = gc;
      if (mapping.secret.name) this.read(mapping);
    }
    return mapping.status === 'ready' ? mapping.label : undefined;
  }

  private create(ref: GitopsClusterRef, gc: unknown, want: GitopsClusterSecretRef | string): SecretMapping {
    const secret = typeof want === 'string' ? { namespace: ref.namespace, name: '', keys: [] } : want;
    const where = `${secret.namespace}/${secret.name}`;
    const label = `via GitopsCluster Secret ${where}${this.opts.managementContextCount() > 1 ? ` on ${ref.managementContext}` : ''}`;
    const mapping: SecretMapping = { key: mappingKey(ref), ref, secret, label, gitopsCluster: gc, status: 'pending', generation: 0, inFlight: false, failures: 0, refreshedAt: 0 };
    this.mappings.set(mapping.key, mapping);
    if (typeof want === 'string') {
      fail(mapping, 'no-context', `GitopsCluster ${ref.namespace}/${ref.name} cannot be reached through a Secret: ${want}`, {
        code: 'gitops-cluster-secret-missing',
        hint: `Add a kubeconfig context for "${ref.name}" or map one in Settings.`,
      });
      return mapping;
    }
    this.byLabel.set(label, mapping);
    this.read(mapping);
    return mapping;
  }

  private drop(mapping: SecretMapping): void {
    mapping.generation += 1;
    if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
    this.mappings.delete(mapping.key);
    if (this.byLabel.get(mapping.label) === mapping) this.byLabel.delete(mapping.label);
    delete mapping.kc;
    this.opts.dropContext(mapping.label);
  }

  private read(mapping: SecretMapping): void {
    if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
    delete mapping.retryTimer;
    const management = this.opts.managementKubeConfig(mapping.ref.managementContext);
    if (!management) return; // the management context went away: the next reload drops the mapping
    const generation = ++mapping.generation;
    mapping.inFlight = true;
    mapping.refreshedAt = this.clock();
    this.opts.logger?.debug('board', `reading kubeconfig Secret ${where(mapping)} for GitopsCluster ${mapping.ref.name}`);
    this.opts
      .readSecret(management, mapping.secret)
      .catch((e: unknown): SecretReadResult => ({ ok: false, kind: 'failed', error: toKubeRequestError(e) }))
      .then((result) => {
        if (this.stopped || mapping.generation !== generation || this.mappings.get(mapping.key) !== mapping) return;
        mapping.inFlight = false;
        this.apply(mapping, result);
        this.opts.onSecretRead();
      });
  }

  private apply(mapping: SecretMapping, result: SecretReadResult): void {
    const at = where(mapping);
    const name = mapping.ref.name;
    const needed = `needed to reach cluster ${name} through its GitopsCluster`;
    if (result.ok) {
      mapping.failures = 0;
      delete mapping.failure;
      const changed = mapping.fingerprint !== result.value.fingerprint;
      mapping.status = 'ready';
      mapping.kc = result.value.kc;
      mapping.fingerprint = result.value.fingerprint;
      if (changed) {
        this.opts.dropContext(mapping.label); // new credentials or server: reconnect with them
        this.opts.logger?.info('board', `cluster ${name} is reached through kubeconfig Secret ${at}`);
      }
      return;
    }
    if (result.kind === 'failed' && mapping.status === 'ready') {
      // A re-read that did not get an answer: keep the connection we have, try again later.
      this.retryLater(mapping);
      return;
    }
    this.opts.dropContext(mapping.label);
    const addContext = `Add a kubeconfig context for "${name}" (or map one in Settings)`;
    switch (result.kind) {
      case 'forbidden':
        fail(mapping, 'forbidden', `you may not read Secret ${at} (${needed})`, {
          code: 'gitops-cluster-secret-forbidden',
          hint: `${addContext}, or ask for RBAC to get Secret ${at} on ${mapping.ref.managementContext}.`,
        });
        break;
      case 'missing':
        fail(mapping, 'no-context', `kubeconfig Secret ${at} does not exist (${needed})`, {
          code: 'gitops-cluster-secret-missing',
          hint: `${addContext}, or create the Secret the GitopsCluster names.`,
        });
        break;
      case 'malformed':
        fail(mapping, 'no-context', `Secret ${at} holds no usable kubeconfig (${needed}): ${result.reason}`, {
          code: 'gitops-cluster-secret-malformed',
          hint: `${addContext}, or fix the kubeconfig in the Secret.`,
        });
        break;
      default:
        // The management cluster did not answer: try again with backoff.
        fail(mapping, 'unreachable', `Could not read Secret ${at} (${needed}): ${describeKubeError(result.error)}`, {
          code: 'gitops-cluster-secret-unreadable',
          hint: `${addContext}, or check the connection to ${mapping.ref.managementContext}.`,
        });
        this.retryLater(mapping);
    }
    this.opts.logger?.warn('board', `cluster ${name}: ${mapping.failure?.message ?? ''}`);
  }

  private retryLater(mapping: SecretMapping): void {
    mapping.failures += 1;
    if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
    mapping.retryTimer = setTimeout(
      () => {
        if (!this.stopped && this.mappings.get(mapping.key) === mapping) this.read(mapping);
      },
      backoffDelay(mapping.failures, this.opts.backoff, this.opts.random),
    );
  }
}

function mappingKey(ref: GitopsClusterRef): string {
  return `${ref.managementContext}/${ref.namespace}/${ref.name}`;
}

function where(mapping: SecretMapping): string {
  return `${mapping.secret.namespace}/${mapping.secret.name}`;
}

function fail(mapping: SecretMapping, state: ClusterState['state'], message: string, problem: { code: string; hint: string }): void {
  mapping.status = 'failed';
  delete mapping.kc;
  delete mapping.fingerprint;
  mapping.failure = { state, message, problem: { code: problem.code, message, hint: problem.hint } };
}

function reasonOf(mapping: SecretMapping): Reason | undefined {
  if (mapping.status === 'pending') return { state: 'connecting', message: `Reading kubeconfig Secret ${where(mapping)}…` };
  if (mapping.status === 'failed' && mapping.failure) return mapping.failure;
  return undefined;
}
