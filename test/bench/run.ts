// `npm run bench -- --pipelines N [--json F] [--sections build-board,dataplane,renderer,promotion,batch,releaseLog]
//   [--density default|compact|both] [--skip kubectl,tokens,processing] [--loads 3]`:
// runs the benchmarks and prints/writes one JSON object. Figures, not pass/fail: the targets
// and the latest numbers are in docs/benchmarks.md. `machine.load` is the 1/5/15-minute load
// average at the start and the end of the run: on a shared machine every wall time needs it.
// `--loads N`: the board's load is timed N times, each in a fresh process; boardReadyMs is the median.
//
// `npm run bench -- --chart docs/images/bench-scale.svg --scales 100,1000,3000,10000` runs the
// data plane (without kubectl and the token report) at each scale and draws the scale chart;
// `--chart F --from a.json,b.json` draws it from earlier runs' JSON instead.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { renderScaleChart, type ScalePoint } from './chart';
import { runDataplaneBench, type DataplaneBenchResult, type DataplaneSkip } from './dataplane';
import type { BenchDensity } from './renderer';

const { values } = parseArgs({
  options: {
    pipelines: { type: 'string', default: '1000' },
    json: { type: 'string' },
    sections: { type: 'string', default: 'build-board,dataplane,renderer,promotion,batch,releaseLog' },
    'repo-files': { type: 'string', default: '5000' },
    density: { type: 'string', default: 'default' },
    skip: { type: 'string', default: '' },
    loads: { type: 'string', default: '3' },
    chart: { type: 'string' },
    scales: { type: 'string', default: '100,1000,3000,10000' },
    from: { type: 'string' },
  },
});

const boardLoads = Number(values.loads);
if (!Number.isInteger(boardLoads) || boardLoads < 1) throw new Error(`--loads needs a whole number of at least 1, got "${values.loads}"`);

const loadNow = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
const machine = { cpus: os.cpus().length, node: process.versions.node, load: { start: loadNow(), end: [] as number[] } };

/** A run's JSON; runs from before the load was recorded have no `machine.load`. */
type RunOutput = { pipelines: number; machine: Omit<typeof machine, 'load'> & { load?: typeof machine.load }; dataplane?: DataplaneBenchResult };

function chartPoint(run: RunOutput): ScalePoint {
  const d = run.dataplane;
  if (!d) throw new Error(`the scale:${run.pipelines} run has no dataplane section`);
  return {
    pipelines: run.pipelines,
    boardReadyMs: d.boardReadyMs,
    rawFetchMs: d.rawFetchMs,
    mainHeapMB: d.mainHeapMB,
    ...(run.machine.load?.start[0] === undefined ? {} : { load: run.machine.load.start[0] }),
  };
}

async function drawChart(file: string): Promise<void> {
  const runs: RunOutput[] = [];
  if (values.from) {
    for (const f of values.from.split(',')) runs.push(JSON.parse(await readFile(f, 'utf8')) as RunOutput);
  } else {
    for (const pipelines of values.scales.split(',').map(Number)) {
      console.error(`chart: dataplane at scale:${pipelines} …`);
      const start = loadNow();
      const dataplane = await runDataplaneBench({ pipelines, loads: boardLoads, skip: new Set(['kubectl', 'tokens']) });
      runs.push({ pipelines, machine: { ...machine, load: { start, end: loadNow() } }, dataplane });
    }
  }
  const day = new Date().toISOString().slice(0, 10);
  await writeFile(file, renderScaleChart(runs.map(chartPoint), `npm run bench, ${day}, ${machine.cpus} cores shared with other work (1-minute load at each run's start under its count)`));
  console.log(
    JSON.stringify(
      runs.map((r) => ({ ...chartPoint(r), loadEnd: r.machine.load?.end })),
      null,
      2,
    ),
  );
}

if (values.chart) {
  await drawChart(values.chart);
  process.exit(0);
}

const pipelines = Number(values.pipelines);
const sections = new Set(values.sections.split(','));
const skip = new Set(values.skip.split(',').filter(Boolean) as DataplaneSkip[]);
const densities: BenchDensity[] = values.density === 'both' ? ['default', 'compact'] : [values.density as BenchDensity];
const result: Record<string, unknown> = { pipelines, machine };

if (sections.has('build-board')) {
  console.error(`build-board: ${pipelines} pipelines × 4 envs × 5 targets in memory …`);
  const { runBuildBoardBench } = await import('./build-board');
  result['buildBoard'] = runBuildBoardBench({ pipelines });
}
if (sections.has('dataplane')) {
  console.error(`dataplane: scale:${pipelines} …`);
  result['dataplane'] = await runDataplaneBench({ pipelines, loads: boardLoads, skip });
}
if (sections.has('renderer')) {
  const { runRendererBench } = await import('./renderer');
  for (const density of densities) {
    console.error(`renderer: scale:${pipelines}, ${density} density …`);
    // The first density measured is `renderer`; a second one (`--density both`) is `rendererCompact`.
    result[density === densities[0] ? 'renderer' : 'rendererCompact'] = await runRendererBench({ pipelines, density });
  }
}
if (sections.has('promotion')) {
  const repoFiles = Number(values['repo-files']);
  console.error(`promotion: ${repoFiles}-file repo …`);
  const { runPromotionBench } = await import('./promotion');
  result['promotion'] = await runPromotionBench({ repoFiles });
}

if (sections.has('batch')) {
  const repoFiles = Number(values['repo-files']);
  console.error(`batch: 50 promotions into a ${repoFiles}-file repo …`);
  const { runBatchBench } = await import('./batch');
  result['batch'] = await runBatchBench({ repoFiles, rows: 50 });
}
if (sections.has('releaseLog')) {
  console.error(`releaseLog: ${pipelines} pipelines × 30 days …`);
  const { runReleaseLogBench } = await import('./release-log');
  result['releaseLog'] = await runReleaseLogBench({ pipelines });
}

machine.load.end = loadNow();
const text = JSON.stringify(result, null, 2);
if (values.json) await writeFile(values.json, text + '\n');
console.log(text);
process.exit(0);
