// `npm run bench -- --pipelines N [--json F] [--sections build-board,dataplane,renderer,promotion,batch]`:
// runs the benchmarks and prints/writes one JSON object. Figures, not pass/fail: the targets
// and the latest numbers are in docs/benchmarks.md.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runDataplaneBench } from './dataplane';

const { values } = parseArgs({
  options: {
    pipelines: { type: 'string', default: '1000' },
    json: { type: 'string' },
    sections: { type: 'string', default: 'build-board,dataplane,renderer,promotion,batch' },
    'repo-files': { type: 'string', default: '5000' },
  },
});

const pipelines = Number(values.pipelines);
const sections = new Set(values.sections.split(','));
const result: Record<string, unknown> = { pipelines, machine: { cpus: (await import('node:os')).cpus().length, node: process.versions.node } };

if (sections.has('build-board')) {
  console.error(`build-board: ${pipelines} pipelines × 4 envs × 5 targets in memory …`);
  const { runBuildBoardBench } = await import('./build-board');
  result['buildBoard'] = runBuildBoardBench({ pipelines });
}
if (sections.has('dataplane')) {
  console.error(`dataplane: scale:${pipelines} …`);
  result['dataplane'] = await runDataplaneBench({ pipelines });
}
if (sections.has('renderer')) {
  console.error(`renderer: scale:${pipelines} …`);
  const { runRendererBench } = await import('./renderer');
  result['renderer'] = await runRendererBench({ pipelines });
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

const text = JSON.stringify(result, null, 2);
if (values.json) await writeFile(values.json, text + '\n');
console.log(text);
process.exit(0);
