// Board model: the plain, JSON-serialisable picture of every pipeline, environment and
// target that main computes from cluster state and the renderer draws. Times are ISO
// strings (no Date objects) so the model crosses IPC unchanged. Pure types plus a few
// tiny helpers; no runtime imports, because the renderer shares this module.

/** How main is connected to one cluster (a kubeconfig context). */
export type ClusterConnectionState =
  | 'connected' // every list+watch for this cluster is live
  | 'connecting' // first list in progress
  | 'stale' // a watch is down; showing the last known state since `staleSince`
  | 'unreachable' // never reached (DNS, TLS, refused, credential plugin failed)
  | 'forbidden' // reachable but RBAC denies what the board needs
  | 'no-crd' // reachable but the Pipelines (or Flux) API is not served
  | 'no-context'; // a GitopsCluster without a matching kubeconfig context

export interface ClusterState {
  /** Display name: the kubeconfig context for management clusters, the GitopsCluster name for remote ones. */
  name: string;
  /** The kubeconfig context used to reach it (absent when none is mapped). */
  context?: string;
  state: ClusterConnectionState;
  /** ISO time the data went stale (state 'stale'). */
  staleSince?: string;
  /** Human explanation for any state other than 'connected'. */
  message?: string;
}

/** Something the user should know about a row or target, with what to do about it. */
export interface Problem {
  code: string;
  message: string;
  hint: string;
}

export type TargetHealth = 'ready' | 'reconciling' | 'stalled' | 'failed' | 'suspended' | 'unknown' | 'missing';

/** A Kubernetes condition, trimmed to what the board shows. */
export interface ConditionSummary {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface TargetState {
  /** Cluster display name (management context or GitopsCluster name). */
  cluster: string;
  /** Kubeconfig context used to read this target, when one is mapped. */
  context?: string;
  namespace: string;
  kind: string;
  name: string;
  /** The apiVersion actually read (may differ from the appRef's). */
  servedApiVersion?: string;
  /** Readable deployed version: chart version, tag, or branch@shortsha. */
  deployedVersion?: string;
  /** The raw revision string the version was derived from. */
  deployedRevision?: string;
  /** What Git / the spec asks for (HelmRelease spec.chart.spec.version). */
  requestedVersion?: string;
  /** A revision being attempted that differs from the deployed one. */
  inFlightVersion?: string;
  health: TargetHealth;
  message?: string;
  lastDeployedAt?: string;
  conditions: ConditionSummary[];
  /** True when the cluster's watch is down and this is the last known state. */
  stale?: boolean;
  problem?: Problem;
  /** What the cluster remembers releasing here, newest first (HelmRelease status.history, Kustomization status.history). */
  history?: ReleaseHistoryEntry[];
}

/** One release the cluster remembers for a target. */
export interface ReleaseHistoryEntry {
  /** Readable version (chart version, tag, branch@shortsha). */
  version: string;
  /** Helm: deployed / superseded / failed / ...; Kustomization: the last reconcile's status. */
  status: string;
  /** When it was deployed (Helm lastDeployed, Kustomization lastReconciled). */
  at?: string;
}

export type RollupState = 'healthy' | 'progressing' | 'failing' | 'mixed' | 'unknown' | 'suspended';

export interface EnvironmentRollup {
  /** e.g. "2 of 3 targets on 1.8.3", "all 3 targets on 1.8.3", "1.8.3". */
  summary: string;
  state: RollupState;
  /** The version every target runs, or the most common one when they differ. */
  version?: string;
}

export type PromotionStrategyKind = 'pull-request' | 'notification' | 'none';
export type GitProviderType = 'github' | 'gitlab' | 'bitbucket-server';

/** Effective strategy for promotions INTO an environment. */
export interface EffectiveStrategy {
  kind: PromotionStrategyKind;
  manual: boolean;
  provider?: GitProviderType;
  repoUrl?: string;
  baseBranch?: string;
  /** Name of the Secret holding the promotion token (never its content). */
  secretRef?: string;
  /** Where it came from: the environment's own `promotion` or the pipeline default. */
  source: 'environment' | 'pipeline';
}

/** Whether the forge would merge an open PR now, and why not, in a release manager's words. */
export interface PullRequestMergeState {
  /** ready: it would merge now; waiting: the forge or CI is still working; blocked: someone must act. */
  tone: 'ready' | 'waiting' | 'blocked';
  label: string;
  /** The forge's own code (GitLab: detailed_merge_status). */
  code: string;
}

export interface PullRequestSummary {
  number: number;
  url: string;
  createdAt: string;
  reviewState?: 'approved' | 'changes-requested' | 'review-required' | 'none';
  checksState?: 'success' | 'failure' | 'pending' | 'none';
  mergeState?: PullRequestMergeState;
}

export interface PendingPromotion {
  /** pr-unknown: a promotion would be expected, but main could not read the repository's PRs (private, not signed in). */
  kind: 'awaiting-approval' | 'pr-open' | 'promotion-expected' | 'pr-unknown';
  version?: string;
  pr?: PullRequestSummary;
}

export interface EnvironmentCell {
  name: string;
  index: number;
  targets: TargetState[];
  rollup: EnvironmentRollup;
  strategy: EffectiveStrategy;
  pending: PendingPromotion[];
  /** The rollout after the latest merged promotion PR into this environment, while it is recent. */
  rollout?: RolloutTimeline;
}

export interface AppRefSummary {
  kind: string;
  name: string;
  /** The apiVersion the Pipeline asks for (possibly stale). */
  apiVersion: string;
  /** The version the management cluster serves for that group, when it differs or is known. */
  servedVersion?: string;
}

export interface PipelineRow {
  /** "ns/name", or "ns/name@context" when several management clusters are shown. */
  id: string;
  /** Management cluster (context) holding the Pipeline. */
  cluster: string;
  namespace: string;
  name: string;
  appRef: AppRefSummary;
  environments: EnvironmentCell[];
  problems: Problem[];
}

/** Which kubeconfig the board reads and what is wrong with it (no credentials). */
export interface KubeconfigStatus {
  /** Files read, in precedence order. */
  files: string[];
  /** Set when no usable kubeconfig could be loaded (missing, malformed). */
  error?: Problem;
  /** E.g. an exec credential plugin that is not installed. */
  warnings: Problem[];
}

export interface BoardSnapshot {
  pipelines: PipelineRow[];
  clusters: ClusterState[];
  generatedAt: string;
  kubeconfig?: KubeconfigStatus;
}

/** A compact update: rows to insert or replace, rows to drop, and (when changed) all cluster states. */
export interface BoardChange {
  upserted: PipelineRow[];
  removed: string[];
  clusters?: ClusterState[];
  kubeconfig?: KubeconfigStatus;
}

/**
 * The board as both processes hold it: rows by id (a change replaces only the rows it names;
 * every other row keeps its identity, so memoised views skip it), their order, the cluster
 * states and the kubeconfig status.
 */
export interface BoardState {
  rowsById: Record<string, PipelineRow>;
  rowOrder: string[];
  clusters: ClusterState[];
  kubeconfig?: KubeconfigStatus;
  generatedAt: string;
}

export function boardStateOf(snapshot: BoardSnapshot): BoardState {
  const rowsById: Record<string, PipelineRow> = {};
  for (const row of snapshot.pipelines) rowsById[row.id] = row;
  const board: BoardState = { rowsById, rowOrder: snapshot.pipelines.map((r) => r.id), clusters: snapshot.clusters, generatedAt: snapshot.generatedAt };
  if (snapshot.kubeconfig) board.kubeconfig = snapshot.kubeconfig;
  return board;
}

/** The rows in board order. */
export function boardRows(board: BoardState): PipelineRow[] {
  return board.rowOrder.flatMap((id) => board.rowsById[id] ?? []);
}

/**
 * Applies a change without mutating the input. Rows keep their place, removed ones go, new
 * ones merge in by id (the snapshot is sorted by id, so the order stays sorted); cluster
 * states and the kubeconfig status are replaced when the change carries them.
 */
export function applyBoardChange(board: BoardState, change: BoardChange, generatedAt: string): BoardState {
  const rowsById = { ...board.rowsById };
  const removed = new Set(change.removed);
  for (const id of removed) delete rowsById[id];
  const added: string[] = [];
  for (const row of change.upserted) {
    if (!Object.hasOwn(rowsById, row.id)) added.push(row.id);
    rowsById[row.id] = row;
  }
  let rowOrder = removed.size > 0 ? board.rowOrder.filter((id) => !removed.has(id)) : board.rowOrder;
  if (added.length > 0) rowOrder = mergeSorted(rowOrder, added.sort(compareIds));
  const next: BoardState = { rowsById, rowOrder, clusters: change.clusters ?? board.clusters, generatedAt };
  const kubeconfig = change.kubeconfig ?? board.kubeconfig;
  if (kubeconfig) next.kubeconfig = kubeconfig;
  return next;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeSorted(existing: readonly string[], added: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < existing.length || j < added.length) {
    const a = existing[i];
    const b = added[j];
    if (a !== undefined && (b === undefined || compareIds(a, b) <= 0)) {
      out.push(a);
      i += 1;
    } else if (b !== undefined) {
      out.push(b);
      j += 1;
    }
  }
  return out;
}

/** Where one target stands in a rollout that followed a merged promotion PR. */
export type RolloutTargetPhase =
  | 'waiting' // Flux has not picked the new version up yet
  | 'reconciling' // Flux is applying it (Ready=Unknown / Reconciling=True)
  | 'healthy' // Ready on the promoted version
  | 'failed' // Flux tried the version and reports Ready=False or Stalled
  | 'not-reconciling'; // nothing seen within the bound after the merge

export interface RolloutTargetStep {
  cluster: string;
  namespace: string;
  phase: RolloutTargetPhase;
  /** ISO times main first saw each phase (from the condition's lastTransitionTime where it had one). */
  reconcilingAt?: string;
  healthyAt?: string;
  failedAt?: string;
  message?: string;
}

export type RolloutState = 'rolling-out' | 'healthy' | 'failed' | 'stuck';

/** merged → each target reconciling → healthy or failed, for the latest merged promotion PR into an environment. */
export interface RolloutTimeline {
  version: string;
  pr: { number: number; url: string };
  mergedAt: string;
  state: RolloutState;
  /** targets healthy on the version, of `total` */
  done: number;
  total: number;
  targets: RolloutTargetStep[];
  /** when the last target became healthy or the first one failed */
  finishedAt?: string;
}
