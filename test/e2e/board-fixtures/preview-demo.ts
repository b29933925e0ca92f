// Dev helper: serve the built renderer with the demo board (or scale:N) and print the URL;
// with --live, push a version change to a random pipeline every few seconds.
// Run: npx electron-vite build && npx tsx test/e2e/board-fixtures/preview-demo.ts [--scale 1000] [--live]
import type { PipelineRow } from '../../../src-main/common/board';
import { startBoardPreview } from './board-test';
import { createDemoBoard } from './demo-board';
import { createScaleBoard } from './scale-board';

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const snapshot = scaleAt >= 0 ? createScaleBoard(Number(args[scaleAt + 1] ?? 1000)) : createDemoBoard();
const started = await startBoardPreview(snapshot);
console.log(`Release Board preview: ${started.preview.url}`);

function bumpPatch(row: PipelineRow): PipelineRow {
  const i = Math.floor(Math.random() * row.environments.length);
  return {
    ...row,
    environments: row.environments.map((env) => {
      if (env.index !== i || !env.rollup.version) return env;
      const next = env.rollup.version.replace(/(\d+)$/, (d) => String(Number(d) + 1));
      const targets = env.targets.map((t) => ({ ...t, deployedVersion: next, lastDeployedAt: new Date().toISOString() }));
      return { ...env, targets, rollup: { ...env.rollup, version: next, summary: env.rollup.summary.replaceAll(env.rollup.version, next) } };
    }),
  };
}

if (args.includes('--live')) {
  setInterval(() => {
    const rows = started.board.current().pipelines.filter((r) => r.environments.length > 0);
    const row = rows[Math.floor(Math.random() * rows.length)];
    if (row) started.board.push({ upserted: [bumpPatch(row)], removed: [] });
  }, 4_000);
}

const stop = () => void started.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
