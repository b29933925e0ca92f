// Reads a Flux workload (HelmRelease or Kustomization) into what the board shows:
// a readable deployed version, what is in flight or requested, and a health verdict.
// Rules follow domain.md §2; input is whatever the cluster returned, so every field is
// checked before use.

import type { ConditionSummary, ReleaseHistoryEntry, TargetHealth } from '../common/board';
import { boundedMemo } from './bounded-memo';

export interface WorkloadReading {
  servedApiVersion?: string;
  deployedVersion?: string;
  deployedRevision?: string;
  requestedVersion?: string;
  inFlightVersion?: string;
  lastDeployedAt?: string;
  health: TargetHealth;
  message?: string;
  conditions: ConditionSummary[];
  /** Releases the object's status remembers, newest first (bounded). */
  history?: ReleaseHistoryEntry[];
}

const MAX_CONDITIONS = 16;
const MAX_HISTORY = 64;
const BOARD_HISTORY = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(obj: unknown, key: string): string | undefined {
  if (!isRecord(obj) || !Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  const v = obj[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function field(obj: unknown, key: string): unknown {
  return isRecord(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

const SEMVERISH = /^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$/;

/**
 * Turns a Flux revision into something a human reads at a glance:
 *   "v1.2.0@sha1:<40hex>"   → "v1.2.0"          (a tag already names the version)
 *   "main@sha1:abcdef12…"    → "main@abcdef1"
 *   "refs/heads/main@sha1:…" → "main@abcdef1"
 *   "latest@sha256:<64hex>"  → "latest@sha256:abcdef123456"
 *   "sha256:<64hex>"         → "sha256:abcdef123456"
 *   "main/<40hex>"           → "main@abcdef1"   (Flux v1 source format)
 *   "1.8.3"                  → "1.8.3"
 */
export function readableRevision(raw: string): string {
  return readableRevisions(raw);
}

// A fleet repeats a few hundred revisions across thousands of workloads and history entries.
const readableRevisions = boundedMemo(4096, (raw) => computeReadableRevision(raw));

function computeReadableRevision(raw: string): string {
  const revision = raw.trim();
  const at = revision.lastIndexOf('@');
  if (at > 0) {
    const ref = shortRef(revision.slice(0, at));
    const digest = revision.slice(at + 1);
    if (SEMVERISH.test(ref) || revision.slice(0, at).startsWith('refs/tags/')) return ref;
    return `${ref}@${shortDigest(digest)}`;
  }
  if (/^(sha1|sha256|sha384|sha512):[0-9a-f]+$/i.test(revision)) return shortDigest(revision);
  const slash = revision.lastIndexOf('/');
  if (slash > 0 && /^[0-9a-f]{40}$/i.test(revision.slice(slash + 1))) {
    return `${shortRef(revision.slice(0, slash))}@${revision.slice(slash + 1, slash + 8)}`;
  }
  if (/^[0-9a-f]{40}$/i.test(revision)) return revision.slice(0, 7);
  return revision;
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  if (colon < 0) return digest.slice(0, 7);
  const algo = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  return algo === 'sha1' ? hex.slice(0, 7) : `${algo}:${hex.slice(0, 12)}`;
}

/** Trimmed conditions, capped so a runaway status cannot bloat the board. */
export function readConditions(obj: unknown): ConditionSummary[] {
  const raw = field(field(obj, 'status'), 'conditions');
  if (!Array.isArray(raw)) return [];
  const out: ConditionSummary[] = [];
  const end = Math.min(raw.length, MAX_CONDITIONS);
  for (let i = 0; i < end; i += 1) {
    const c: unknown = raw[i];
    const type = str(c, 'type');
    const status = str(c, 'status');
    if (!type || (status !== 'True' && status !== 'False' && status !== 'Unknown')) continue;
    const summary: ConditionSummary = { type, status };
    const reason = str(c, 'reason');
    const message = str(c, 'message');
    const lastTransitionTime = str(c, 'lastTransitionTime');
    if (reason) summary.reason = reason;
    if (message) summary.message = message.slice(0, 2000);
    if (lastTransitionTime) summary.lastTransitionTime = lastTransitionTime;
    out.push(summary);
  }
  return out;
}

function withMessage(health: TargetHealth, c: ConditionSummary | undefined): { health: TargetHealth; message?: string } {
  return c?.message ? { health, message: c.message } : { health };
}

/**
 * Health from spec.suspend and the kstatus-style conditions Flux sets. A Ready condition
 * older than the current generation means the controller has not looked yet: reconciling.
 */
export function healthOf(obj: unknown, conditions = readConditions(obj)): { health: TargetHealth; message?: string } {
  // Deletion bumps metadata.generation, so without this the Ready condition would read as "behind".
  const deletionRequested = str(field(obj, 'metadata'), 'deletionTimestamp');
  if (deletionRequested) return { health: 'reconciling', message: `Being deleted (requested ${deletionRequested}); Flux is removing it` };
  if (field(field(obj, 'spec'), 'suspend') === true) return { health: 'suspended', message: 'Reconciliation is suspended' };
  let ready: ConditionSummary | undefined;
  let stalled: ConditionSummary | undefined;
  let reconciling: ConditionSummary | undefined;
  let healthy: ConditionSummary | undefined;
  // The last of a type wins, as a Map built from the list would have it.
  for (const c of conditions) {
    if (c.type === 'Ready') ready = c;
    else if (c.type === 'Stalled') stalled = c;
    else if (c.type === 'Reconciling') reconciling = c;
    else if (c.type === 'Healthy') healthy = c;
  }

  if (stalled?.status === 'True') return withMessage('stalled', stalled);
  const generation = field(field(obj, 'metadata'), 'generation');
  const observed = field(field(obj, 'status'), 'observedGeneration');
  const behind = typeof generation === 'number' && typeof observed === 'number' && observed < generation;
  if (reconciling?.status === 'True') return withMessage('reconciling', reconciling);
  if (!ready) return { health: 'unknown', message: 'No Ready condition yet' };
  if (behind) return withMessage('reconciling', ready);
  if (ready.status === 'Unknown') return withMessage('reconciling', ready);
  if (ready.status === 'False') return withMessage('failed', ready);
  if (healthy?.status === 'False') return withMessage('failed', healthy);
  return withMessage('ready', ready);
}

interface HelmHistoryEntry {
  chartVersion: string;
  status?: string;
  version?: number;
  lastDeployed?: string;
}

function helmHistory(obj: unknown): HelmHistoryEntry[] {
  const history = field(field(obj, 'status'), 'history');
  if (!Array.isArray(history)) return [];
  const out: HelmHistoryEntry[] = [];
  const end = Math.min(history.length, MAX_HISTORY);
  for (let i = 0; i < end; i += 1) {
    const h: unknown = history[i];
    const chartVersion = str(h, 'chartVersion');
    if (!chartVersion) continue;
    const entry: HelmHistoryEntry = { chartVersion };
    const status = str(h, 'status');
    const version = field(h, 'version');
    const lastDeployed = str(h, 'lastDeployed');
    if (status) entry.status = status;
    if (typeof version === 'number') entry.version = version;
    if (lastDeployed) entry.lastDeployed = lastDeployed;
    out.push(entry);
  }
  return out;
}

function byReleaseVersionNewestFirst(a: { h: HelmHistoryEntry; i: number }, b: { h: HelmHistoryEntry; i: number }): number {
  return a.h.version !== undefined && b.h.version !== undefined ? b.h.version - a.h.version : a.i - b.i;
}

/** True when every entry has a release version and they already fall newest first (how helm-controller writes them). */
function newestFirstAlready(history: readonly HelmHistoryEntry[]): boolean {
  for (let i = 1; i < history.length; i += 1) {
    const newer = history[i - 1]!.version;
    const older = history[i]!.version;
    if (newer === undefined || older === undefined || newer <= older) return false;
  }
  return history.length < 2 || history[0]!.version !== undefined;
}

/** Helm history as release entries, newest first (by release version where given, else list order), at most `limit`. */
function helmReleaseHistory(history: readonly HelmHistoryEntry[], limit: number): ReleaseHistoryEntry[] {
  const ordered = newestFirstAlready(history)
    ? history
    : history
        .map((h, i) => ({ h, i }))
        .sort(byReleaseVersionNewestFirst)
        .map((e) => e.h);
  const out: ReleaseHistoryEntry[] = [];
  const end = Math.min(ordered.length, limit);
  for (let i = 0; i < end; i += 1) {
    const h = ordered[i]!;
    const entry: ReleaseHistoryEntry = { version: readableRevision(h.chartVersion), status: h.status ?? 'unknown' };
    if (h.lastDeployed) entry.at = h.lastDeployed;
    out.push(entry);
  }
  return out;
}

/** kustomize-controller ≥ v1.3 keeps status.history (newest first): metadata.revision, lastReconciled, lastReconciledStatus. */
function kustomizationHistory(status: unknown): ReleaseHistoryEntry[] {
  const history = field(status, 'history');
  if (!Array.isArray(history)) return [];
  return history.slice(0, MAX_HISTORY).flatMap((h) => {
    const revision = str(field(h, 'metadata'), 'revision');
    if (!revision) return [];
    const at = str(h, 'lastReconciled');
    return [{ version: readableRevision(revision), status: str(h, 'lastReconciledStatus') ?? 'unknown', ...(at ? { at } : {}) }];
  });
}

/** Newest `deployed` snapshot: highest release version, else the first in list order (Flux sorts newest first). */
function newestDeployed(history: HelmHistoryEntry[]): HelmHistoryEntry | undefined {
  let best: HelmHistoryEntry | undefined;
  for (const entry of history) {
    if (entry.status !== 'deployed') continue;
    if (!best) best = entry;
    else if (entry.version !== undefined && (best.version === undefined || entry.version > best.version)) best = entry;
  }
  return best;
}

/** Reads any HelmRelease or Kustomization version, dispatching on the object's own apiVersion. */
export function readWorkload(obj: unknown): WorkloadReading {
  const conditions = readConditions(obj);
  const { health, message } = healthOf(obj, conditions);
  const reading: WorkloadReading = { health, conditions };
  if (message) reading.message = message;
  const apiVersion = str(obj, 'apiVersion');
  if (apiVersion) reading.servedApiVersion = apiVersion;
  const kind = str(obj, 'kind');
  const status = field(obj, 'status');

  let deployedRaw: string | undefined;
  // Read once: both the deployed version and the history shown come from it.
  const helm = kind === 'HelmRelease' ? helmHistory(obj) : undefined;
  if (helm) {
    const deployed = newestDeployed(helm);
    if (deployed) {
      deployedRaw = deployed.chartVersion;
      if (deployed.lastDeployed) reading.lastDeployedAt = deployed.lastDeployed;
    } else {
      // v2beta1/v2beta2 (and v2 objects written by old controllers) keep only this.
      deployedRaw = str(status, 'lastAppliedRevision');
    }
    const requested = str(field(field(field(obj, 'spec'), 'chart'), 'spec'), 'version');
    if (requested) reading.requestedVersion = requested;
  } else {
    deployedRaw = str(status, 'lastAppliedRevision');
    if (!deployedRaw) {
      const history = field(status, 'history');
      const first = Array.isArray(history) ? history[0] : undefined;
      deployedRaw = str(field(first, 'metadata'), 'revision');
    }
    const lastReconciled = Array.isArray(field(status, 'history')) ? str((field(status, 'history') as unknown[])[0], 'lastReconciled') : undefined;
    if (lastReconciled) reading.lastDeployedAt = lastReconciled;
  }
  // helm-controller keeps 5 by default (spec.maxHistory); the board carries at most 10 per target
  const history = helm ? helmReleaseHistory(helm, BOARD_HISTORY) : kustomizationHistory(status).slice(0, BOARD_HISTORY);
  if (history.length > 0) reading.history = history;
  if (deployedRaw) {
    reading.deployedRevision = deployedRaw;
    reading.deployedVersion = readableRevision(deployedRaw);
  }
  const attempted = str(status, 'lastAttemptedRevision');
  if (attempted && attempted !== deployedRaw) {
    const readable = readableRevision(attempted);
    if (readable !== reading.deployedVersion) reading.inFlightVersion = readable;
  }
  return reading;
}
