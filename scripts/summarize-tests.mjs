// Reads vitest's and Playwright's JSON reports and prints one plain closing line:
// "tests: N passed, N failed, N skipped". Skipped tests are grouped by their reason; failed
// tests are listed last, each with the first lines of its error, because CI logs are often read
// from their tail only.
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const skippedReasons = [];
const failures = [];

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function firstLines(message, count = 4) {
  // strip ANSI colour codes (ESC [ … m) so the lines read the same in a log file
  const plain = String(message ?? '').replace(ANSI_COLOUR, '');
  return plain
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(0, count);
}

if (vitestFile && existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) {
      failures.push({ where: `${file.name} › ${t.fullName ?? t.title} [vitest]`, lines: firstLines(t.failureMessages?.join('\n')) });
    }
    // a file that failed to load has no failed assertions, only a message
    if (file.status === 'failed' && failedTests.length === 0) {
      failures.push({ where: `${file.name} [vitest]`, lines: firstLines(file.message) });
    }
  }
} else {
  console.log('vitest: no report (it did not run)');
  failed += 1;
}

function walk(suite, titles) {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      const status = t.status; // expected | unexpected | flaky | skipped
      if (status === 'expected' || status === 'flaky') passed += 1;
      else if (status === 'skipped') {
        skipped += 1;
        const reason = (t.annotations ?? []).find((a) => a.type === 'skip')?.description ?? 'no reason given';
        skippedReasons.push({ title: `${[...titles, spec.title].filter(Boolean).join(' › ')} [${t.projectName}]`, reason });
      } else {
        failed += 1;
        const lastResult = (t.results ?? []).at(-1);
        failures.push({
          where: `${[...titles, spec.title].filter(Boolean).join(' › ')} [${t.projectName}]`,
          lines: firstLines(lastResult?.error?.message ?? lastResult?.errors?.[0]?.message),
        });
      }
    }
  }
  for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
}

if (playwrightFile && existsSync(playwrightFile)) {
  const report = JSON.parse(readFileSync(playwrightFile, 'utf8'));
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const e of report.errors ?? []) {
    console.log(`playwright error: ${e.message ?? JSON.stringify(e)}`);
    failed += 1;
  }
} else {
  console.log('playwright: no report (it did not run)');
  failed += 1;
}

// the same reason (e.g. "no Electron binary") is printed once, with the tests it covers
const byReason = new Map();
for (const { title, reason } of skippedReasons) byReason.set(reason, [...(byReason.get(reason) ?? []), title]);
for (const [reason, titles] of byReason) {
  console.log(`skipped (${titles.length}): ${reason}`);
  for (const title of titles) console.log(`  - ${title}`);
}
for (const { where, lines } of failures) {
  console.log(`FAILED: ${where}`);
  for (const line of lines) console.log(`    ${line}`);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
