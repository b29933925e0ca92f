import { describe, expect, it } from 'vitest';
import type { PipelineRow } from '../../common/board';
import type { BuiltRow } from '../../pipelines/build-board';
import { RowIndex } from './row-index';

/** A Pipeline stand-in: the row shows `version`, reads `reads`, and targets `cluster` (mapped when `context` is set). */
interface FakePipeline {
  version: string;
  reads: string[];
  cluster?: string;
  context?: string;
}

function build(raw: unknown, mgmt: string, key: string): BuiltRow {
  const p = raw as FakePipeline;
  const targets = p.cluster ? [{ cluster: p.cluster, ...(p.context ? { context: p.context } : {}), namespace: 'apps', kind: 'HelmRelease', name: 'app' }] : [];
  const row = {
    id: key,
    cluster: mgmt,
    namespace: 'ns',
    name: p.version,
    appRef: { kind: 'HelmRelease', name: 'app', apiVersion: 'v2' },
    environments: [{ name: 'dev', targets }],
    problems: [],
  } as unknown as PipelineRow;
  const needs = p.context ? [{ context: p.context, kind: 'HelmRelease', namespace: 'apps' }] : [];
  return { row, deps: new Set(p.reads), needs };
}

function pipelines(entries: Record<string, FakePipeline>): Map<string, Map<string, unknown>> {
  return new Map([['mgmt', new Map(Object.entries(entries))]]);
}

describe('RowIndex', () => {
  it('builds every row once, then only the rows that read a changed dependency', () => {
    const index = new RowIndex();
    let builds: string[] = [];
    const counting = (raw: unknown, mgmt: string, key: string) => (builds.push(key), build(raw, mgmt, key));
    let input = pipelines({ 'ns/a': { version: '1', reads: ['w|x'] }, 'ns/b': { version: '1', reads: ['w|y'] } });
    index.markAll();
    const first = index.update(input, counting);
    expect(first.upserted.map((r) => r.id).sort()).toEqual(['ns/a', 'ns/b']);
    expect(builds.sort()).toEqual(['ns/a', 'ns/b']);
    expect(index.hasWork).toBe(false);

    builds = [];
    input = pipelines({ 'ns/a': { version: '2', reads: ['w|x'] }, 'ns/b': { version: '1', reads: ['w|y'] } });
    index.markDep('w|x');
    index.markDep('w|unread');
    const second = index.update(input, counting);
    expect(builds).toEqual(['ns/a']);
    expect(second).toMatchObject({ upserted: [{ id: 'ns/a', name: '2' }], removed: [] });
  });

  it('does not send a rebuilt row that did not change, and removes rows whose Pipeline is gone', () => {
    const index = new RowIndex();
    const input = pipelines({ 'ns/a': { version: '1', reads: ['w|x'] } });
    index.markAll();
    index.update(input, build);
    index.markDep('w|x');
    expect(index.update(input, build)).toEqual({ upserted: [], removed: [], needsChanged: false });
    index.markRow('mgmt', 'ns/a');
    const gone = index.update(pipelines({}), build);
    expect(gone).toEqual({ upserted: [], removed: ['ns/a'], needsChanged: true });
    expect(index.isRead('w|x')).toBe(false); // a deleted row's keys do not pile up
    expect(index.sortedRows()).toEqual([]);
  });

  it('reports when the watches or unmapped clusters the rows need change', () => {
    const index = new RowIndex();
    index.markAll();
    const unmapped = index.update(pipelines({ 'ns/a': { version: '1', reads: [], cluster: 'prod' } }), build);
    expect(unmapped.needsChanged).toBe(true);
    expect([...index.unmappedClusters()]).toEqual(['prod']);
    expect(index.needs()).toEqual([]);

    index.markAll();
    const mapped = index.update(pipelines({ 'ns/a': { version: '1', reads: [], cluster: 'prod', context: 'prod-ctx' } }), build);
    expect(mapped.needsChanged).toBe(true);
    expect(index.unmappedClusters().size).toBe(0);
    expect(index.neededKinds()).toEqual(new Map([['prod-ctx', new Set(['HelmRelease'])]]));

    index.markAll();
    expect(index.update(pipelines({ 'ns/a': { version: '1', reads: [], cluster: 'prod', context: 'prod-ctx' } }), build).needsChanged).toBe(false);
  });

  it('lists rows sorted by id', () => {
    const index = new RowIndex();
    index.markAll();
    index.update(pipelines({ 'ns/c': { version: '1', reads: [] }, 'ns/a': { version: '1', reads: [] }, 'ns/b': { version: '1', reads: [] } }), build);
    expect(index.sortedRows().map((r) => r.id)).toEqual(['ns/a', 'ns/b', 'ns/c']);
  });

  it('keeps track of who reads a key as readers come and go', () => {
    const index = new RowIndex();
    const rebuilt = (input: Map<string, Map<string, unknown>>, dep: string) => {
      index.markDep(dep);
      const built: string[] = [];
      index.update(input, (raw, mgmt, key) => (built.push(key), build(raw, mgmt, key)));
      return built.sort();
    };
    const both = pipelines({ 'ns/a': { version: '1', reads: ['g|shared', 'w|a'] }, 'ns/b': { version: '1', reads: ['g|shared'] } });
    index.markAll();
    index.update(both, build);
    expect(rebuilt(both, 'g|shared')).toEqual(['ns/a', 'ns/b']); // two readers
    // a stops reading it: b alone is left, and still rebuilt
    const onlyB = pipelines({ 'ns/a': { version: '2', reads: ['w|a'] }, 'ns/b': { version: '1', reads: ['g|shared'] } });
    index.markRow('mgmt', 'ns/a');
    index.update(onlyB, build);
    expect(rebuilt(onlyB, 'g|shared')).toEqual(['ns/b']);
    // a reads it again, then b's Pipeline is deleted: a alone
    const backToA = pipelines({ 'ns/a': { version: '3', reads: ['g|shared'] } });
    index.markRow('mgmt', 'ns/a');
    index.markRow('mgmt', 'ns/b');
    index.update(backToA, build);
    expect(rebuilt(backToA, 'g|shared')).toEqual(['ns/a']);
    expect(index.isRead('w|a')).toBe(false);
    // nobody: the key is forgotten
    index.markRow('mgmt', 'ns/a');
    index.update(pipelines({}), build);
    expect(index.isRead('g|shared')).toBe(false);
  });

  it('indexes what rows read after the update, and catches up before it answers', () => {
    const index = new RowIndex();
    index.markAll();
    index.update(pipelines({ 'ns/a': { version: '1', reads: ['w|x'] }, 'ns/b': { version: '1', reads: ['w|y'] } }), build);
    // nothing indexed yet: the first build goes out first
    expect(index.indexPending).toBe(true);
    expect(index.isRead('w|x')).toBe(true);
    expect(index.indexPending).toBe(false);

    // a rebuild that moves a read and a removal, both left pending, then asked through markDep
    index.markDep('w|x');
    index.markRow('mgmt', 'ns/b');
    index.update(pipelines({ 'ns/a': { version: '1', reads: ['w|z'] } }), build);
    expect(index.indexPending).toBe(true);
    index.markDep('w|z');
    expect(index.indexPending).toBe(false);
    expect(index.hasWork).toBe(true);
    expect(index.isRead('w|x')).toBe(false);
    expect(index.isRead('w|y')).toBe(false);
  });

  it('lists a watch need shared by many rows once', () => {
    const shared = { context: 'c1', kind: 'HelmRelease', namespace: 'apps' };
    const own = { context: 'c2', kind: 'HelmRelease', namespace: 'apps' };
    const index = new RowIndex();
    index.markAll();
    index.update(pipelines({ 'ns/a': { version: '1', reads: [] }, 'ns/b': { version: '1', reads: [] } }), (raw, mgmt, key) => ({
      ...build(raw, mgmt, key),
      needs: key === 'ns/a' ? [shared, own] : [shared],
    }));
    expect(index.needs()).toEqual([shared, own]);
    expect([...(index.neededKinds().get('c1') ?? [])]).toEqual(['HelmRelease']);
  });
});
