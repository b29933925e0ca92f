// What the row builder reads, gathered from the connections: Pipelines and GitopsClusters of
// the management contexts, workload caches of every context, served API versions, and the
// cluster mapping. Plus two shortcuts for the initial load (see InitialLoadGate).

import type { ClusterState } from '../../common/board';
import { collectWatchNeeds, gitopsClusterNotReady, prepareWorkloadReading, type BoardInput, type GitopsClusterRef, type WatchNeed, type WorkloadCollection } from '../../pipelines/build-board';
import type { OpenPullRequest } from '../../pipelines/promotion-rules';
import type { BoardKind } from '../kube-transport';
import { WORKLOAD_KINDS, type ClusterConnections } from './cluster-connections';
import type { ClusterMapper } from './cluster-mapper';
import type { NotReadyGitopsCluster } from './cluster-states';

export function collectBoardInput(connections: ClusterConnections, mapper: ClusterMapper, clusters: readonly ClusterState[], prs: readonly OpenPullRequest[], now: () => Date): BoardInput {
  const pipelines = new Map<string, ReadonlyMap<string, unknown>>();
  const gitopsClusters = new Map<string, ReadonlyMap<string, unknown>>();
  const workloads = new Map<string, Map<string, WorkloadCollection>>();
  const servedVersions = new Map<string, ReadonlyMap<string, readonly string[]>>();
  for (const rt of connections.values()) {
    if (rt.served) servedVersions.set(rt.name, rt.served);
    if (connections.isManagement(rt.name)) {
      const p = rt.watches.get('Pipeline');
      if (p) pipelines.set(rt.name, p.items);
      const g = rt.watches.get('GitopsCluster');
      if (g?.state().synced) gitopsClusters.set(rt.name, g.items);
    }
    const byKind = new Map<string, WorkloadCollection>();
    for (const kind of WORKLOAD_KINDS) {
      const w = rt.watches.get(kind as BoardKind);
      if (!w) continue;
      const s = w.state();
      byKind.set(kind, { items: w.items, synced: s.synced, forbiddenNamespaces: s.forbiddenNamespaces });
    }
    workloads.set(rt.name, byKind);
  }
  for (const m of connections.managementContexts) if (!pipelines.has(m)) pipelines.set(m, new Map());
  return {
    pipelines,
    gitopsClusters,
    workloads,
    clusters,
    servedVersions,
    contextForCluster: (ref) => mapper.contextFor(ref),
    unmappedCluster: (ref) => mapper.unmappedCell(ref),
    openPullRequests: prs,
    now: () => now().toISOString(),
  };
}

/** Each listed GitopsCluster of the management contexts, as a reference and its object. */
export function* listedGitopsClusters(connections: ClusterConnections): Generator<{ ref: GitopsClusterRef; key: string; object: unknown }> {
  for (const m of connections.managementContexts) {
    const items = connections.synced(m, 'GitopsCluster');
    if (!items) continue;
    for (const [key, object] of items) {
      const slash = key.indexOf('/');
      yield { ref: { managementContext: m, namespace: key.slice(0, slash), name: key.slice(slash + 1) }, key, object };
    }
  }
}

/** GitopsClusters a target reads (`isRead`) whose Ready condition is False. */
export function notReadyGitopsClusters(connections: ClusterConnections, mapper: ClusterMapper, isRead: (ref: GitopsClusterRef) => boolean): NotReadyGitopsCluster[] {
  const out: NotReadyGitopsCluster[] = [];
  for (const m of connections.managementContexts) {
    const w = connections.get(m)?.watches.get('GitopsCluster');
    if (!w) continue;
    for (const [key, object] of w.items) {
      const slash = key.indexOf('/');
      const ref = { managementContext: m, namespace: key.slice(0, slash), name: key.slice(slash + 1) };
      const why = gitopsClusterNotReady(object);
      // Asked second: isRead may first have to bring the row index up to date.
      if (why === undefined || !isRead(ref)) continue;
      const context = mapper.contextFor(ref);
      out.push({ ...(context ? { context } : {}), name: ref.name, note: `GitopsCluster ${key} is not Ready${why ? `: ${why}` : ''}` });
    }
  }
  return out;
}

function* listedPipelines(pipelines: BoardInput['pipelines']): Generator<{ mgmt: string; key: string; raw: unknown }> {
  for (const [mgmt, objects] of pipelines) for (const [key, raw] of objects) yield { mgmt, key, raw };
}

/**
 * Hold flushes run once per answered list and once per time slice; informer objects are
 * replaced, never mutated, so a Pipeline's needs stay valid until the context mapping changes
 * (which resets this). The union over all Pipelines is kept too, deduplicated (thousands of
 * targets name a few dozen (context, kind, namespace) lists), until a Pipeline or GitopsCluster
 * changes: gathering it afresh on every flush was most of the hold's CPU at scale:3000.
 */
export class NeedsCache {
  private cache = new WeakMap<object, { mgmt: string; key: string; needs: WatchNeed[] }>();
  private union: WatchNeed[] | undefined;
  private gathering: { pipelines: Iterator<{ mgmt: string; key: string; raw: unknown }>; seen: Set<string>; out: WatchNeed[] } | undefined;

  reset(): void {
    this.cache = new WeakMap();
    this.listedObjectsChanged();
  }

  /** A Pipeline or GitopsCluster was added, changed or removed: gather the union again (each Pipeline's own needs stay cached). */
  listedObjectsChanged(): void {
    this.union = undefined;
    this.gathering = undefined;
  }

  /** Every distinct watch the listed Pipelines' targets need. */
  all(input: BoardInput): WatchNeed[] {
    return this.within(input, Infinity)!;
  }

  /**
   * The same, or undefined when `performance.now()` passed `sliceEnd` first: what was read is
   * cached, so the next call resumes where this one stopped.
   */
  within(input: BoardInput, sliceEnd: number): WatchNeed[] | undefined {
    if (this.union) return this.union;
    // Resumed where the last slice stopped: starting over each slice never finished on a busy machine.
    const g = (this.gathering ??= { pipelines: listedPipelines(input.pipelines), seen: new Set(), out: [] });
    for (let next = g.pipelines.next(); !next.done; next = g.pipelines.next()) {
      const { mgmt, key, raw } = next.value;
      for (const n of this.of(raw, mgmt, key, input)) {
        const id = `${n.context}\u0000${n.kind}\u0000${n.namespace}`;
        if (g.seen.has(id)) continue;
        g.seen.add(id);
        g.out.push(n);
      }
      if (performance.now() > sliceEnd) return undefined;
    }
    this.gathering = undefined;
    this.union = g.out;
    return g.out;
  }

  private of(raw: unknown, mgmt: string, key: string, input: BoardInput): WatchNeed[] {
    if (typeof raw !== 'object' || raw === null) return collectWatchNeeds(raw, mgmt, key, input);
    const hit = this.cache.get(raw);
    if (hit && hit.mgmt === mgmt && hit.key === key) return hit.needs;
    const needs = collectWatchNeeds(raw, mgmt, key, input);
    this.cache.set(raw, { mgmt, key, needs });
    return needs;
  }
}

/**
 * Reading a workload's status is about half of a row build; doing it for the lists that are
 * already in, while the slowest cluster's list is still on the wire, takes it off the
 * critical path. Each list is read once; later changes are read by the (incremental) builds.
 * Returns false when `performance.now()` passed `sliceEnd` first (readings are cached on the
 * objects, so the next call resumes).
 */
export function createWorkloadPreparer(connections: ClusterConnections): (sliceEnd?: number) => boolean {
  const prepared = new WeakSet<object>();
  // Where a pass over a collection stopped when its slice ran out: the next slice resumes there
  // instead of walking the cache hits again (at 10,000 pipelines a list holds ~9,000 objects).
  const resume = new WeakMap<object, Iterator<unknown>>();
  return (sliceEnd = Infinity) => {
    for (const rt of connections.values()) {
      for (const kind of WORKLOAD_KINDS) {
        const w = rt.watches.get(kind as BoardKind);
        if (!w || prepared.has(w.items) || !w.state().synced) continue;
        const objects = resume.get(w.items) ?? w.items.values();
        let read = 0;
        for (let next = objects.next(); !next.done; next = objects.next()) {
          prepareWorkloadReading(next.value);
          // The clock is read every 64 objects: a reading takes microseconds, performance.now() about as long.
          if ((++read & 63) === 0 && performance.now() > sliceEnd) {
            resume.set(w.items, objects);
            return false;
          }
        }
        resume.delete(w.items);
        prepared.add(w.items);
      }
    }
    return true;
  };
}

/**
 * The GitopsCluster list is small and usually in before the Pipelines: discovering the
 * contexts it maps to right away takes a discovery round trip (and TLS setup, and any exec
 * credential plugin) off the path from "Pipelines listed" to "workloads listed". Discovery
 * only: lists start when a target needs them; a context no target uses is dropped after the
 * first build and never shown. Returns whether it started one.
 */
export function prefetchGitopsClusterContexts(connections: ClusterConnections, mapper: ClusterMapper): boolean {
  let started = false;
  for (const { ref } of listedGitopsClusters(connections)) {
    const context = mapper.contextFor(ref, false);
    if (context && !connections.get(context) && connections.ensure(context, true)) started = true;
  }
  return started;
}

/**
 * During the initial load: whether a list the first build needs has not answered yet —
 * the management contexts' Pipelines and GitopsClusters, the Secret reads, then the workload
 * lists `needs` name. `whileWaiting` runs once only workload lists can be outstanding.
 */
export function listsOutstanding(connections: ClusterConnections, mapper: ClusterMapper, needs: readonly WatchNeed[], whileWaiting: () => void): boolean {
  if (connections.managementContexts.some((m) => connections.pending(m)) || mapper.anyPending()) return true;
  whileWaiting();
  const byContext = new Map<string, Set<BoardKind>>();
  for (const n of needs) {
    if (!WORKLOAD_KINDS.has(n.kind)) continue;
    let kinds = byContext.get(n.context);
    if (!kinds) byContext.set(n.context, (kinds = new Set()));
    kinds.add(n.kind as BoardKind);
  }
  for (const [context, kinds] of byContext) if (connections.pending(context, kinds)) return true;
  return false;
}
