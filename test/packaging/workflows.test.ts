// The GitHub Actions workflows: valid YAML of the right shape, secrets handled safely, and
// the release built on all three platforms with electron-builder publishing update metadata.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lintWorkflow, runnerSystems } from './workflow-lint';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, '.github/workflows');
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');

type Step = { name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> };
type Job = { 'runs-on': string; needs?: string | string[]; steps: Step[]; permissions?: Record<string, string>; strategy?: { matrix: Record<string, unknown> } };
type Workflow = { on: Record<string, any>; permissions: Record<string, string>; jobs: Record<string, Job> };

describe('workflow files', () => {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

  it('exist: ci and release', () => {
    expect(files.sort()).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
  });

  it.each(files)('%s passes the workflow lint', (file) => {
    expect(lintWorkflow(read(file))).toEqual([]);
  });
});

describe('ci.yml', () => {
  const ci = parse(read('ci.yml')) as Workflow;

  it('runs the project test command on pull requests on Ubuntu', () => {
    expect(Object.keys(ci.on)).toContain('pull_request');
    const steps = ci.jobs['test']!.steps;
    expect(ci.jobs['test']!['runs-on']).toBe('ubuntu-latest');
    expect(steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(ci.permissions).toEqual({ contents: 'read' });
  });
});

describe('release.yml', () => {
  const text = read('release.yml');
  const release = parse(text) as Workflow;
  const steps = Object.values(release.jobs).flatMap((j) => j.steps);

  it('runs on version tags only', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on['push'].tags).toEqual(['v*.*.*']);
  });

  it('tests and builds on macOS, Windows and Ubuntu', () => {
    expect([...runnerSystems(text)].sort()).toEqual(['macos', 'ubuntu', 'windows']);
    for (const job of Object.values(release.jobs)) expect(job['runs-on']).toBe('${{ matrix.os }}');
  });

  it('runs the full tests, with the Electron binary and a virtual display on Linux, before publishing', () => {
    const test = release.jobs['test']!;
    expect(test.steps.some((s) => s.run?.includes('npm ci') && !s.run.includes('ELECTRON_SKIP_BINARY_DOWNLOAD'))).toBe(true);
    expect(test.steps.some((s) => s.run === 'xvfb-run -a npm test' && s.if === "runner.os == 'Linux'")).toBe(true);
    expect(test.steps.some((s) => s.run === 'npm test' && s.if === "runner.os != 'Linux'")).toBe(true);
    expect(release.jobs['publish']!.needs).toBe('test');
  });

  it('publishes with electron-builder --publish always, with write access only where it publishes', () => {
    const builds = steps.filter((s) => s.run?.includes('electron-builder'));
    expect(builds.map((s) => s.run!.match(/--(mac|win|linux)\b/)![1]).sort()).toEqual(['linux', 'mac', 'win']);
    for (const s of builds) {
      expect(s.run).toContain('--publish always');
      expect(s.env?.['GH_TOKEN']).toBe('${{ secrets.GITHUB_TOKEN }}');
    }
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(release.jobs['publish']!.permissions).toEqual({ contents: 'write' });
  });

  it('gives each platform only its own signing secrets', () => {
    const byPlatform = (flag: string) => steps.find((s) => s.run?.includes(`electron-builder ${flag}`))!.env!;
    expect(Object.keys(byPlatform('--mac')).sort()).toEqual(['APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_ID', 'APPLE_TEAM_ID', 'CSC_KEY_PASSWORD', 'CSC_LINK', 'GH_TOKEN']);
    expect(Object.keys(byPlatform('--win')).sort()).toEqual(['GH_TOKEN', 'WIN_CSC_KEY_PASSWORD', 'WIN_CSC_LINK']);
    expect(Object.keys(byPlatform('--linux'))).toEqual(['GH_TOKEN']);
    // secrets appear nowhere else in the test job
    expect(JSON.stringify(release.jobs['test'])).not.toContain('secrets.');
  });
});

describe('workflow lint catches mistakes', () => {
  const base = `
on: push
permissions: { contents: read }
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;
  const lint = (text: string) => lintWorkflow(text).map((p) => p.message);

  it('accepts a minimal valid workflow', () => {
    expect(lint(base)).toEqual([]);
  });

  it.each([
    ['invalid YAML', 'on: [push\njobs: {}', /not valid YAML/],
    ['a missing on', base.replace('on: push\n', ''), /schema/],
    ['a job without runs-on', base.replace('    runs-on: ubuntu-latest\n', ''), /schema/],
    ['a step with neither uses nor run', base.replace('      - run: npm test', '      - name: nothing'), /schema/],
    ['a step with both uses and run', base.replace('      - run: npm test', '      - run: npm test\n        uses: a/b@v1'), /schema/],
    ['an unknown job key', base.replace('    runs-on:', '    runson: x\n    runs-on:'), /schema/],
    ['missing permissions', base.replace('permissions: { contents: read }\n', ''), /permissions/],
    ['an unpinned action', base.replace('actions/checkout@v4', 'actions/checkout'), /pin/],
    ['an action on a moving branch', base.replace('actions/checkout@v4', 'actions/checkout@main'), /moving branch/],
    ['a secret inline in a script', base.replace('npm test', `'curl -H "x: \${{ secrets.TOKEN }}" https://x'`), /only in env or with/],
    ['a secret inside a larger string', base.replace('      - run: npm test', '      - run: npm test\n        env: { A: "Bearer ${{ secrets.TOKEN }}" }'), /whole value/],
    ['a secret echoed through env', base.replace('      - run: npm test', '      - run: echo "$TOKEN"\n        env: { TOKEN: "${{ secrets.TOKEN }}" }'), /prints the secret-bearing variable TOKEN/],
    ['a job-level secret printed', base.replace('    runs-on: ubuntu-latest', '    runs-on: ubuntu-latest\n    env: { KEY: "${{ secrets.KEY }}" }').replace('npm test', 'printf "%s" ${KEY}'), /KEY/],
    ['shell tracing', base.replace('npm test', '|\n          set -euxo pipefail\n          npm test'), /set -x/],
    ['an environment dump', base.replace('npm test', 'env'), /dumps the environment/],
  ])('rejects %s', (_name, text, pattern) => {
    const messages = lint(text);
    expect(messages.some((m) => pattern.test(m)), messages.join('; ')).toBe(true);
  });

  it('finds the runner systems from runs-on and from matrix lists or includes', () => {
    expect([...runnerSystems(base)]).toEqual(['ubuntu']);
    const matrix = base.replace('runs-on: ubuntu-latest', 'runs-on: ${{ matrix.os }}\n    strategy: { matrix: { os: [macos-14, windows-2022] } }');
    expect([...runnerSystems(matrix)].sort()).toEqual(['macos', 'windows']);
  });
});
