// Reliability suite, bad inputs: a corpus of malformed and hostile objects pushed through the
// same pure code the data plane and the promotion service run (parsePipeline, buildBoard,
// readWorkload, applyPromotionMarker). Every case must end in a clear state (a row with a
// problem, an untouched file, a MarkerError) and never throw, hang or pollute prototypes.
// The forge-side hostile responses (titles, URLs, bodies) are in bad-inputs-forge.test.ts.

import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterState, PipelineRow } from '../../src-main/common/board';
import { applyPromotionMarker, MarkerError, promotionMarker } from '../../src-main/git/markers';
import { buildBoard, type BoardInput, type WorkloadCollection } from '../../src-main/pipelines/build-board';
import { parsePipeline, PIPELINE_LIMITS } from '../../src-main/pipelines/pipeline-schema';
import { gitopsCluster, helmRelease, pipeline } from '../../src-main/pipelines/test-objects';
import { readWorkload } from '../../src-main/pipelines/workload-status';

const MGMT = 'mgmt';

function collection(objects: unknown[]): WorkloadCollection {
  const items = new Map<string, unknown>();
  objects.forEach((o, i) => {
    const meta = (o as { metadata?: { namespace?: unknown; name?: unknown } }).metadata;
    items.set(typeof meta?.namespace === 'string' && typeof meta.name === 'string' ? `${meta.namespace}/${meta.name}` : `broken/${i}`, o);
  });
  return { items, synced: true };
}

/** A one-cluster board with the given Pipelines (keyed by index) and HelmReleases. */
function boardOf(pipelines: unknown[], helmReleases: unknown[] = [helmRelease('dev', 'checkout', '1.8.3')]): BoardInput {
  const clusters: ClusterState[] = [
    { name: MGMT, context: MGMT, state: 'connected' },
    { name: 'staging-eu', context: 'staging-eu', state: 'connected' },
  ];
  const served = new Map([
    ['helm.toolkit.fluxcd.io', ['v2']],
    ['kustomize.toolkit.fluxcd.io', ['v1']],
    ['pipelines.weave.works', ['v1alpha1']],
  ]);
  return {
    pipelines: new Map([[MGMT, new Map(pipelines.map((p, i) => [`team/p${i}`, p]))]]),
    gitopsClusters: new Map([[MGMT, new Map([['flux-system/staging-eu', gitopsCluster('flux-system', 'staging-eu')]])]]),
    workloads: new Map([
      [MGMT, new Map([['HelmRelease', collection(helmReleases)]])],
      ['staging-eu', new Map([['HelmRelease', collection([])]])],
    ]),
    clusters,
    servedVersions: new Map([
      [MGMT, served],
      ['staging-eu', served],
    ]),
    contextForCluster: (ref) => (ref.name === 'staging-eu' ? 'staging-eu' : undefined),
    openPullRequests: [],
    now: () => '2026-01-01T00:00:00.000Z',
  };
}

const good = () => pipeline('team', 'checkout', [{ name: 'dev', targets: [{ namespace: 'dev' }] }]);

/** Prototype pollution would show up as a new inherited property on a fresh object. */
function assertPrototypesClean(): void {
  const probe: Record<string, unknown> = {};
  for (const k of ['polluted', 'isAdmin', 'environments', 'targets', 'name', 'spec']) expect(probe[k], `Object.prototype.${k}`).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
}

/** JSON.parse keeps "__proto__" as an own key, which is exactly what a cluster response does. */
const fromJson = (text: string): unknown => JSON.parse(text);

afterEach(() => assertPrototypesClean());

interface PipelineCase {
  name: string;
  raw: () => unknown;
  /** what must be true of the row built from it */
  check: (row: PipelineRow | undefined, rows: PipelineRow[]) => void;
}

const malformedRow = (row: PipelineRow | undefined) => {
  expect(row).toBeDefined();
  expect(row!.problems.map((p) => p.code)).toContain('malformed-pipeline');
};

const HUGE = 10_000;
const pipelineCases: PipelineCase[] = [
  { name: 'null', raw: () => null, check: (row) => malformedRow(row) },
  { name: 'a string instead of an object', raw: () => 'kind: Pipeline', check: (row) => malformedRow(row) },
  { name: 'an array instead of an object', raw: () => [good()], check: (row) => malformedRow(row) },
  { name: 'no spec', raw: () => ({ apiVersion: 'pipelines.weave.works/v1alpha1', kind: 'Pipeline', metadata: { name: 'x', namespace: 'team' } }), check: (row) => malformedRow(row) },
  { name: 'no metadata', raw: () => ({ spec: good().spec }), check: (row) => malformedRow(row) },
  { name: 'environments is a string', raw: () => ({ ...good(), spec: { ...good().spec, environments: 'dev,prod' } }), check: (row) => malformedRow(row) },
  {
    name: 'target namespace is a number',
    raw: () => pipeline('team', 'x', [{ name: 'dev', targets: [{ namespace: 7 as never }] }]),
    check: (row) => {
      malformedRow(row);
      expect(row!.problems.find((p) => p.code === 'malformed-pipeline')?.message).toContain('namespace');
    },
  },
  {
    name: 'appRef missing its kind',
    raw: () => pipeline('team', 'x', [{ name: 'dev', targets: [{ namespace: 'dev' }] }], { appRef: { apiVersion: 'helm.toolkit.fluxcd.io/v2', name: 'x' } }),
    check: (row) => {
      expect(row!.problems.length).toBeGreaterThan(0);
      expect(row!.appRef).toBeDefined();
    },
  },
  {
    name: `${HUGE}-character names`,
    raw: () => pipeline('team', 'n'.repeat(HUGE), [{ name: 'e'.repeat(HUGE), targets: [{ namespace: 's'.repeat(HUGE) }] }]),
    check: (row, rows) => {
      const r = row ?? rows[0];
      malformedRow(r);
      // Names over the Kubernetes limit are not echoed back whole into the UI.
      expect(r!.name.length).toBeLessThanOrEqual(PIPELINE_LIMITS.nameLength);
      expect(JSON.stringify(r).length).toBeLessThan(HUGE);
    },
  },
  {
    name: '10,000 environments',
    raw: () =>
      pipeline(
        'team',
        'wide',
        Array.from({ length: HUGE }, (_, i) => ({ name: `env-${i}`, targets: [{ namespace: 'dev' }] })),
      ),
    check: (row) => {
      malformedRow(row);
      expect(row!.environments.length).toBeLessThanOrEqual(PIPELINE_LIMITS.environments);
    },
  },
  {
    name: '10,000 targets in one environment',
    raw: () => pipeline('team', 'deep', [{ name: 'dev', targets: Array.from({ length: HUGE }, () => ({ namespace: 'dev' })) }]),
    check: (row) => {
      malformedRow(row);
      expect(row!.environments.flatMap((e) => e.targets).length).toBeLessThanOrEqual(PIPELINE_LIMITS.targetsPerEnvironment);
    },
  },
  {
    name: 'unicode, RTL override and emoji in names',
    raw: () => pipeline('team', 'caf\u00e9-\u202etxt.exe-\u{1F680}', [{ name: 'pr\u00f6d-\u65e5\u672c', targets: [{ namespace: 'dev' }] }]),
    check: (row) => {
      expect(row).toBeDefined();
      expect(row!.environments[0]?.name).toBe('pr\u00f6d-\u65e5\u672c');
    },
  },
  {
    name: '__proto__ keys everywhere (from JSON)',
    raw: () =>
      fromJson(
        JSON.stringify(good())
          .replace('"spec":{', '"__proto__":{"polluted":true,"isAdmin":true},"spec":{"__proto__":{"environments":[]},')
          .replace('"targets":[{', '"targets":[{"__proto__":{"polluted":1},'),
      ),
    check: (row) => {
      expect(row).toBeDefined();
      expect(row!.environments.map((e) => e.name)).toEqual(['dev']);
    },
  },
  {
    name: 'constructor/prototype keys',
    raw: () => ({ ...good(), constructor: { prototype: { polluted: true } }, prototype: { polluted: true }, spec: { ...good().spec, constructor: { prototype: { isAdmin: true } } } }),
    check: (row) => {
      expect(row).toBeDefined();
      expect(row!.environments.map((e) => e.name)).toEqual(['dev']);
    },
  },
  {
    name: 'an environment named __proto__ with status',
    raw: () =>
      pipeline(
        'team',
        'x',
        [
          { name: '__proto__', targets: [{ namespace: 'dev' }] },
          { name: 'constructor', targets: [{ namespace: 'dev' }] },
        ],
        { status: { environments: fromJson('{"__proto__":{"waitingApproval":{"revision":"9.9.9"}},"constructor":{"targets":[]}}') } },
      ),
    check: (row) => {
      expect(row!.environments.map((e) => e.name)).toEqual(['__proto__', 'constructor']);
    },
  },
  {
    name: 'duplicate environment names',
    raw: () =>
      pipeline('team', 'x', [
        { name: 'dev', targets: [{ namespace: 'dev' }] },
        { name: 'dev', targets: [{ namespace: 'dev' }] },
      ]),
    check: (row) => expect(row).toBeDefined(),
  },
  {
    name: 'clusterRef of the wrong kind',
    raw: () => pipeline('team', 'x', [{ name: 'dev', targets: [{ namespace: 'dev', clusterRef: { kind: 'Secret' as never, name: 'staging-eu' } }] }]),
    check: (row) => malformedRow(row),
  },
];

describe('bad inputs: hostile Pipeline objects', () => {
  it.each(pipelineCases)('$name → a row with a clear state, no throw, no pollution', ({ raw, check }) => {
    const input = raw();
    expect(() => parsePipeline(input, 'team/p0')).not.toThrow();
    const board = buildBoard(boardOf([input, good()]));
    // The healthy Pipeline next to the hostile one is still read in full.
    const healthy = board.pipelines.find((r) => r.name === 'checkout' && r.problems.length === 0);
    expect(healthy?.environments[0]?.targets[0]?.deployedVersion).toBe('1.8.3');
    const row = board.pipelines.find((r) => r !== healthy);
    check(row, board.pipelines);
    // The snapshot crosses IPC: it must be plain, serialisable data.
    expect(() => structuredClone(board)).not.toThrow();
  });
});

interface WorkloadCase {
  name: string;
  status: unknown;
}

const statusCases: WorkloadCase[] = [
  { name: 'status is a string', status: 'Ready' },
  { name: 'conditions is an object', status: { conditions: { Ready: 'True' } } },
  { name: 'condition without type or status', status: { conditions: [{}, null, 7, 'Ready'] } },
  { name: 'history entries of the wrong type', status: { history: [null, 3, { chartVersion: 42 }, { chartVersion: ['1.0'] }] } },
  {
    name: '10,000 history entries and conditions',
    status: {
      history: Array.from({ length: HUGE }, (_, i) => ({ chartVersion: `1.0.${i}`, status: 'superseded' })),
      conditions: Array.from({ length: HUGE }, () => ({ type: 'Ready', status: 'False', message: 'x'.repeat(100) })),
    },
  },
  { name: 'a 1 MB condition message with markup', status: { conditions: [{ type: 'Ready', status: 'False', reason: '<script>', message: `<img src=x onerror=alert(1)>${'m'.repeat(1_000_000)}` }] } },
  { name: '__proto__ in status (from JSON)', status: fromJson('{"__proto__":{"polluted":true},"conditions":[{"__proto__":{"isAdmin":true},"type":"Ready","status":"True"}]}') },
];

describe('bad inputs: malformed HelmRelease status', () => {
  it.each(statusCases)('$name → a health verdict, no throw', ({ status }) => {
    const hr = { ...helmRelease('dev', 'checkout', '1.8.3'), status };
    const reading = readWorkload(hr);
    expect(['ready', 'progressing', 'failed', 'suspended', 'missing', 'unknown', 'stalled']).toContain(reading.health);
    // Messages shown on a chip are bounded, whatever the cluster sent.
    expect((reading.message ?? '').length).toBeLessThan(10_000);
    expect(reading.conditions.length).toBeLessThanOrEqual(64);
    const board = buildBoard(boardOf([good()], [hr]));
    const target = board.pipelines[0]?.environments[0]?.targets[0];
    expect(target).toBeDefined();
    expect(target!.deployedVersion === undefined || typeof target!.deployedVersion === 'string').toBe(true);
    expect(() => structuredClone(board)).not.toThrow();
  });
});

const KEY = 'team-payments:checkout:prod';
const M = promotionMarker('team-payments', 'checkout', 'prod');
const OTHER = promotionMarker('team-payments', 'checkout', 'staging');

/** Byte comparison: everything outside the expected replacements is identical. */
function expectOnlyReplaced(before: string, after: string, replacements: Array<[string, string]>): void {
  let expected = before;
  for (const [from, to] of replacements) {
    const at = expected.indexOf(from);
    expect(at, `"${from}" in the source`).toBeGreaterThanOrEqual(0);
    expected = expected.slice(0, at) + to + expected.slice(at + from.length);
  }
  expect(Buffer.from(after).equals(Buffer.from(expected))).toBe(true);
}

interface YamlCase {
  name: string;
  src: string;
  /** expected replacements (from → to) or the MarkerError code */
  expect: Array<[string, string]> | 'marker-unsupported' | 'yaml-invalid';
}

const yamlCases: YamlCase[] = [
  { name: 'double-quoted value', src: `version: "1.8.1" ${M}\nkeep: "1.8.1"\n`, expect: [['"1.8.1" #', '"2.0.0" #']] },
  { name: 'single-quoted value', src: `version: '1.8.1' ${M}\nkeep: '1.8.1'\n`, expect: [["'1.8.1' #", "'2.0.0' #"]] },
  { name: 'CRLF line endings and a BOM-less tab', src: `a: 1\r\nversion: 1.8.1\t${M}\r\nb: 1.8.1\r\n`, expect: [['1.8.1\t#', '2.0.0\t#']] },
  { name: 'multi-document file, marker in the second', src: `---\nversion: 1.8.1\n---\nversion: 1.8.1 ${M}\n...\n---\nversion: 1.8.1\n`, expect: [['1.8.1 #', '2.0.0 #']] },
  {
    name: 'markers for other environments are left alone',
    src: `staging: 1.8.1 ${OTHER}\nprod: 1.8.1 ${M}\n`,
    expect: [['1.8.1 # {"$promotion": "team-payments:checkout:prod"}', '2.0.0 # {"$promotion": "team-payments:checkout:prod"}']],
  },
  { name: 'comment lines that look like markers', src: `# ${M}\nversion: 1.8.1 # {"$promotion": "team-payments:checkout:prod"} (old)\nother: 1.8.1 # see ${M}\n`, expect: [] },
  { name: 'a marker inside a quoted string is not a comment', src: `note: "1.8.1 ${M}"\nversion: 1.8.1\n`, expect: [] },
  { name: 'a marker inside a block scalar is not a comment', src: `script: |\n  echo 1.8.1 ${M}\nversion: 1.8.1\n`, expect: [] },
  { name: 'anchored value: only the anchor site changes', src: `base: &v 1.8.1 ${M}\nuse: *v\nkeep: 1.8.1\n`, expect: 'marker-unsupported' },
  { name: 'an alias carrying the marker is refused', src: `base: &v 1.8.1\nuse: *v ${M}\n`, expect: 'marker-unsupported' },
  { name: 'a flow mapping entry is refused', src: `chart: { version: 1.8.1 } ${M}\n`, expect: 'marker-unsupported' },
  { name: 'a block scalar header is refused', src: `version: | ${M}\n  1.8.1\n`, expect: 'marker-unsupported' },
  { name: 'invalid YAML elsewhere in the file', src: `version: 1.8.1 ${M}\nbad: [unclosed\n`, expect: 'yaml-invalid' },
  { name: 'a marker after a bare key (invalid YAML) is refused', src: `version ${M}\n: 1.8.1\n`, expect: 'yaml-invalid' },
  { name: 'a marker on an explicit key is refused', src: `? version ${M}\n: 1.8.1\n`, expect: 'marker-unsupported' },
];

describe('bad inputs: YAML files with tricky marker lines', () => {
  it.each(yamlCases)('$name', ({ src, expect: expected }) => {
    if (typeof expected === 'string') {
      let error: unknown;
      try {
        const r = applyPromotionMarker(src, KEY, '2.0.0');
        // Refusing is the safe answer; if a case is accepted, it must at least change nothing else.
        error = r;
      } catch (e) {
        error = e;
      }
      if (error instanceof MarkerError) {
        expect(error.code).toBe(expected);
      } else {
        // Accepted: it must be a pure in-place edit of the marked scalar (the anchor case).
        const r = error as { content: string; changes: unknown[] };
        expect(r.changes.length).toBeLessThanOrEqual(1);
        expect(r.content.replace('2.0.0', '1.8.1')).toBe(src);
      }
      return;
    }
    const r = applyPromotionMarker(src, KEY, '2.0.0');
    expectOnlyReplaced(src, r.content, expected);
    expect(r.changes).toHaveLength(expected.length);
  });

  it('hostile versions (newline, control characters, empty) are refused and the file is untouched', () => {
    const src = `version: 1.8.1 ${M}\n`;
    for (const version of ['', '1.0\nmalicious: true', '1.0\u0000', '1.0\u001b[31m']) {
      expect(() => applyPromotionMarker(src, KEY, version), JSON.stringify(version)).toThrow(MarkerError);
    }
    // A version that looks like YAML syntax is quoted, never interpreted.
    const r = applyPromotionMarker(src, KEY, '{a: b}');
    expect(r.content).toBe(`version: "{a: b}" ${M}\n`);
  });
});
