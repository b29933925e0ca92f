// Runs only the reliability suite (test/reliability) with vitest's JSON reporter and prints
// the figures docs/reliability.md records: scenarios run and passed, per category (the
// describe prefix before ':' — faults, bad inputs, secrets, hardening), plus known gaps
// (it.fails scenarios, which pass while the product gap exists).
//
//   npm run test:reliability   (with-build.sh builds the renderer the browser scenarios load)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'rb-reliability-report-'));
const out = path.join(dir, 'results.json');
const run = spawnSync('npx', ['vitest', 'run', 'test/reliability', '--reporter=json', `--outputFile=${out}`], { stdio: ['ignore', 'ignore', 'inherit'] });

let results;
try {
  results = JSON.parse(readFileSync(out, 'utf8'));
} catch {
  console.error(`vitest produced no JSON report (exit ${run.status})`);
  process.exit(run.status || 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const categories = new Map();
const failures = [];
let total = 0;
let passed = 0;
let knownGaps = 0;
for (const file of results.testResults) {
  const source = readFileSync(file.name, 'utf8');
  for (const t of file.assertionResults) {
    total++;
    const category = (t.ancestorTitles[0] ?? 'uncategorised').split(':')[0].trim();
    const c = categories.get(category) ?? { run: 0, passed: 0, gaps: 0 };
    c.run++;
    if (t.status === 'passed') {
      c.passed++;
      passed++;
    } else failures.push(`${category}: ${t.fullName}`);
    // it.fails scenarios: the title appears right after `it.fails(` in the source.
    const escaped = t.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`it\\.fails\\(\\s*'${escaped}`).test(source)) {
      c.gaps++;
      knownGaps++;
    }
    categories.set(category, c);
  }
}

const rows = [
  ['category', 'run', 'passed', 'known gaps (it.fails)'],
  ...[...categories].map(([name, c]) => [name, String(c.run), String(c.passed), String(c.gaps)]),
  ['total', String(total), String(passed), String(knownGaps)],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((cell, j) => cell.padEnd(widths[j])).join('  '));
  if (i === 0 || i === rows.length - 2) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
const faultsAndInputs = ['faults', 'bad inputs'].reduce((n, k) => n + (categories.get(k)?.run ?? 0), 0);
console.log(`\nfault + bad-input scenarios: ${faultsAndInputs}; duration ${((results.testResults.reduce((a, f) => Math.max(a, f.endTime), 0) - results.startTime) / 1000).toFixed(1)} s`);
const secrets = categories.get('secrets');
const hardening = categories.get('hardening');
console.log(`secret hits: ${secrets && secrets.passed === secrets.run ? 0 : 'see failures'}; hardening findings: ${hardening && hardening.passed === hardening.run ? 0 : 'see failures'}`);
if (failures.length > 0) {
  console.log(`\nFAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
process.exit(run.status ?? 0);
