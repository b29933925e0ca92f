// Reads vitest's and Playwright's JSON reports and prints one plain closing line:
// "tests: N passed, N failed, N skipped". Skipped tests are listed with their reason.
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, playwrightFile] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const skippedReasons = [];

if (vitestFile && existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
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
        skippedReasons.push(`${[...titles, spec.title].filter(Boolean).join(' › ')} [${t.projectName}]: ${reason}`);
      } else failed += 1;
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

for (const reason of skippedReasons) console.log(`skipped: ${reason}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
