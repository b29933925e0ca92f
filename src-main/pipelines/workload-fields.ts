// The part of a listed or watched HelmRelease / Kustomization the board reads, kept in place
// of the whole object. A HelmRelease's values, chart source, digests and per-release
// bookkeeping are most of its size and none of the board's business; at 10,000 pipelines
// (about 80,000 workloads) the whole objects were most of the main process's heap
// (docs/benchmarks.md). What is kept is exactly what readWorkload (workload-status.ts) and the
// informer (key and resourceVersion) read: readWorkload gives the same answer for either form,
// which workload-fields.test.ts checks.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies the listed keys `from` has (own properties only) onto `to`. */
function pick(from: Record<string, unknown>, keys: readonly string[], to: Record<string, unknown> = {}): Record<string, unknown> {
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(from, k)) to[k] = from[k];
  return to;
}

const METADATA_KEYS = ['name', 'namespace', 'resourceVersion', 'generation', 'deletionTimestamp'] as const;
const CONDITION_KEYS = ['type', 'status', 'reason', 'message', 'lastTransitionTime'] as const;
const STATUS_KEYS = ['observedGeneration', 'lastAppliedRevision', 'lastAttemptedRevision'] as const;
/** HelmRelease status.history entries (chartVersion…) and Kustomization ones (metadata.revision, lastReconciled…). */
const HISTORY_KEYS = ['chartVersion', 'status', 'version', 'lastDeployed', 'lastReconciled', 'lastReconciledStatus'] as const;

function compactList(list: unknown, keys: readonly string[], extra?: (from: Record<string, unknown>, to: Record<string, unknown>) => void): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((item) => {
    if (!isRecord(item)) return item;
    const out = pick(item, keys);
    extra?.(item, out);
    return out;
  });
}

function compactSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const out = pick(spec, ['suspend']);
  const chart = spec.chart;
  if (isRecord(chart)) {
    const chartSpec = chart.spec;
    out.chart = isRecord(chartSpec) ? { spec: pick(chartSpec, ['version']) } : {};
  }
  return out;
}

function compactStatus(status: Record<string, unknown>): Record<string, unknown> {
  const out = pick(status, STATUS_KEYS);
  if ('conditions' in status) out.conditions = compactList(status.conditions, CONDITION_KEYS);
  if ('history' in status) {
    out.history = compactList(status.history, HISTORY_KEYS, (from, to) => {
      if (isRecord(from.metadata)) to.metadata = pick(from.metadata, ['revision']);
    });
  }
  return out;
}

/** A new object with only what the board reads from a workload; anything not an object is returned as is. */
export function compactWorkload(obj: unknown): unknown {
  if (!isRecord(obj)) return obj;
  const out = pick(obj, ['apiVersion', 'kind']);
  if (isRecord(obj.metadata)) out.metadata = pick(obj.metadata, METADATA_KEYS);
  else if ('metadata' in obj) out.metadata = obj.metadata;
  if (isRecord(obj.spec)) out.spec = compactSpec(obj.spec);
  else if ('spec' in obj) out.spec = obj.spec;
  if (isRecord(obj.status)) out.status = compactStatus(obj.status);
  else if ('status' in obj) out.status = obj.status;
  return out;
}
