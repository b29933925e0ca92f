// The board's rows and what each one read. Producers mark what changed (a Pipeline, or a
// dependency key such as one HelmRelease or one cluster's state); update() rebuilds only the
// rows that read it and answers with the BoardChange for the renderer. No timers, no I/O.

import { isDeepStrictEqual } from 'node:util';
import type { PipelineRow } from '../../common/board';
import type { BuiltRow, WatchNeed } from '../../pipelines/build-board';

interface RowEntry {
  row: PipelineRow;
  deps: Set<string>;
  needs: WatchNeed[];
  /** Display names of the GitopsClusters its targets name that no context reaches. */
  unmapped: readonly string[];
}

export interface RowUpdate {
  upserted: PipelineRow[];
  removed: string[];
  /** The set of watches or unmapped clusters the rows need changed. */
  needsChanged: boolean;
}

/** Row keys are "managementContext|ns/name" (the informer key of the Pipeline). */
export function rowKey(managementContext: string, key: string): string {
  return `${managementContext}|${key}`;
}

export class RowIndex {
  private readonly rows = new Map<string, RowEntry>();
  /** Dependency key → row keys that read it. */
  // One row key, or a Set once a second row reads the same key: most keys (a workload, a
  // target's GitopsCluster) have exactly one reader, and a Set each was ~30,000 small hash
  // tables at 10,000 pipelines for the collector to walk.
  private readonly readers = new Map<string, string | Set<string>>();
  private readonly dirty = new Set<string>();
  private dirtyAll = false;
  /**
   * Reader changes not yet applied to `readers`: update() records them and the index catches
   * up when it is next asked (markDep, isRead) or told to (catchUp). Indexing every dependency
   * key of a first build (~100,000 at 10,000 pipelines) would otherwise sit between the lists
   * landing and the board going out.
   */
  private unindexed: { rk: string; oldDeps: Set<string> | undefined; newDeps: Set<string> | undefined }[] = [];

  /** A Pipeline object changed (added, replaced or deleted). */
  markRow(managementContext: string, key: string): void {
    this.dirty.add(rowKey(managementContext, key));
  }

  /** Something rows may have read changed: rebuild those that did. */
  markDep(dep: string): void {
    this.catchUp();
    const readers = this.readers.get(dep);
    if (typeof readers === 'string') this.dirty.add(readers);
    else if (readers) for (const r of readers) this.dirty.add(r);
  }

  /** Something every row reads changed (served versions, open PRs, the context mapping). */
  markAll(): void {
    this.dirtyAll = true;
  }

  get hasWork(): boolean {
    return this.dirtyAll || this.dirty.size > 0;
  }

  /** Whether any row read this dependency key. */
  isRead(dep: string): boolean {
    this.catchUp();
    return this.readers.has(dep);
  }

  /** Whether update() left reader changes to index (see catchUp). */
  get indexPending(): boolean {
    return this.unindexed.length > 0;
  }

  /** Applies the reader changes update() recorded, in order. */
  catchUp(): void {
    if (this.unindexed.length === 0) return;
    const work = this.unindexed;
    this.unindexed = [];
    for (const { rk, oldDeps, newDeps } of work) this.setReads(rk, oldDeps, newDeps);
  }

  /**
   * Rebuilds the marked rows from the current Pipelines (by management context, then
   * informer key). Rows whose Pipeline is gone are removed; rebuilt rows equal to what the
   * renderer has are not sent again.
   */
  update(pipelines: ReadonlyMap<string, ReadonlyMap<string, unknown>>, build: (raw: unknown, managementContext: string, key: string) => BuiltRow): RowUpdate {
    let keys: Iterable<string>;
    if (this.dirtyAll) {
      const all = new Set<string>(this.rows.keys());
      for (const [mgmt, objects] of pipelines) for (const k of objects.keys()) all.add(rowKey(mgmt, k));
      keys = all;
    } else {
      keys = [...this.dirty];
    }
    this.dirtyAll = false;
    this.dirty.clear();
    const out: RowUpdate = { upserted: [], removed: [], needsChanged: false };
    for (const rk of keys) {
      const bar = rk.indexOf('|');
      const mgmt = rk.slice(0, bar);
      const key = rk.slice(bar + 1);
      const raw = pipelines.get(mgmt)?.get(key);
      const old = this.rows.get(rk);
      if (raw === undefined) {
        if (old) {
          this.rows.delete(rk);
          this.unindexed.push({ rk, oldDeps: old.deps, newDeps: undefined });
          out.removed.push(old.row.id);
          out.needsChanged = true;
        }
        continue;
      }
      const built = build(raw, mgmt, key);
      const unmapped = unmappedOf(built.row);
      this.unindexed.push({ rk, oldDeps: old?.deps, newDeps: built.deps });
      this.rows.set(rk, { row: built.row, deps: built.deps, needs: built.needs, unmapped });
      if (!old || !sameNeeds(old.needs, built.needs) || old.unmapped.join() !== unmapped.join()) out.needsChanged = true;
      if (old && old.row.id !== built.row.id) out.removed.push(old.row.id);
      if (!old || !isDeepStrictEqual(old.row, built.row)) out.upserted.push(built.row);
    }
    return out;
  }

  /**
   * Every watch the rows need. A build shares one need object per (context, kind, namespace)
   * across its rows, so the same object is listed once (thousands of targets, a few watches).
   */
  needs(): WatchNeed[] {
    const out = new Set<WatchNeed>();
    for (const r of this.rows.values()) for (const n of r.needs) out.add(n);
    return [...out];
  }

  /** Context → kinds some row needs watched there. */
  neededKinds(): Map<string, Set<string>> {
    const wanted = new Map<string, Set<string>>();
    for (const n of this.needs()) {
      let kinds = wanted.get(n.context);
      if (!kinds) wanted.set(n.context, (kinds = new Set()));
      kinds.add(n.kind);
    }
    return wanted;
  }

  /** GitopsCluster names targets use that no context reaches. */
  unmappedClusters(): Set<string> {
    const out = new Set<string>();
    for (const r of this.rows.values()) for (const u of r.unmapped) out.add(u);
    return out;
  }

  /** All rows, by id. */
  sortedRows(): PipelineRow[] {
    return [...this.rows.values()].map((r) => r.row).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private setReads(rk: string, oldDeps: Set<string> | undefined, newDeps: Set<string> | undefined): void {
    if (oldDeps) {
      for (const d of oldDeps) {
        if (newDeps?.has(d)) continue;
        const readers = this.readers.get(d);
        if (readers === undefined) continue;
        if (typeof readers === 'string') {
          if (readers === rk) this.readers.delete(d); // keys of deleted objects must not pile up
          continue;
        }
        readers.delete(rk);
        if (readers.size === 1) this.readers.set(d, readers.values().next().value!);
        else if (readers.size === 0) this.readers.delete(d);
      }
    }
    if (newDeps) {
      for (const d of newDeps) {
        const readers = this.readers.get(d);
        if (readers === undefined) this.readers.set(d, rk);
        else if (typeof readers === 'string') {
          if (readers !== rk) this.readers.set(d, new Set([readers, rk]));
        } else readers.add(rk);
      }
    }
  }
}

const NONE_UNMAPPED: readonly string[] = [];

/** The clusters a row's targets name that no context reaches (one shared empty list for the rest). */
function unmappedOf(row: PipelineRow): readonly string[] {
  let out: string[] | undefined;
  for (const e of row.environments) for (const t of e.targets) if (!t.context) (out ??= []).push(t.cluster);
  return out ?? NONE_UNMAPPED;
}

function sameNeeds(a: readonly WatchNeed[], b: readonly WatchNeed[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((n, i) => n.context === b[i]?.context && n.kind === b[i]?.kind && n.namespace === b[i]?.namespace);
}
