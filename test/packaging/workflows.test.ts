// The GitHub Actions workflows: actionlint-clean, and shaped as the release process needs —
// the Electron app really launched in CI (a missing binary fails, never skips), one draft
// release that every platform uploads into, tag builds that sign or fail, actions pinned.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { electronGate, requireElectronVariable } from '../electron/electron-binary';
import { actionlint } from './actionlint';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, '.github/workflows');
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');

type Step = { name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> };
type Job = { 'runs-on': string; needs?: string | string[]; steps: Step[]; env?: Record<string, string>; permissions?: Record<string, string>; strategy?: { matrix: Record<string, unknown> } };
type Workflow = { on: Record<string, any>; permissions: Record<string, string>; jobs: Record<string, Job> };

const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('workflow files', () => {
  it('exist: ci and release', () => {
    expect(files.sort()).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
  });

  it.each(files)('%s passes actionlint', async (file) => {
    expect(await actionlint(read(file), file)).toEqual([]);
  });

  it.each(files)('%s pins every action by commit SHA and declares its permissions', (file) => {
    const workflow = parse(read(file)) as Workflow;
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => Boolean(u)));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });

  it.each(files)('%s passes secrets only through env, never inline in a script', (file) => {
    const workflow = parse(read(file)) as Workflow;
    for (const step of Object.values(workflow.jobs).flatMap((j) => j.steps)) {
      expect(step.run ?? '').not.toContain('secrets.');
      for (const value of Object.values(step.env ?? {})) if (value.includes('secrets.')) expect(value).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
    }
  });
});

describe('actionlint catches mistakes the old hand-written lint missed', () => {
  it('a matrix.oss typo', async () => {
    const broken = read('release.yml').replace('runs-on: ${{ matrix.os }}\n    timeout-minutes: 60\n    permissions', 'runs-on: ${{ matrix.oss }}\n    timeout-minutes: 60\n    permissions');
    expect(broken).not.toBe(read('release.yml'));
    const problems = await actionlint(broken, 'release.yml');
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('"oss" is not defined')]);
  });

  it('an unknown job key and a step with both uses and run', async () => {
    const base = 'on: push\npermissions: { contents: read }\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';
    expect(await actionlint(base)).toEqual([]);
    expect((await actionlint(base.replace('    runs-on:', '    runson: x\n    runs-on:'))).length).toBeGreaterThan(0);
    expect((await actionlint(base.replace('      - run: npm test', '      - run: npm test\n        uses: a/b@v1'))).length).toBeGreaterThan(0);
  });
});

describe('the Electron specs cannot skip in CI', () => {
  const ci = parse(read('ci.yml')) as Workflow;
  const release = parse(read('release.yml')) as Workflow;
  const fetchesElectron = (job: Job) => job.steps.some((s) => s.run === 'node node_modules/electron/install.js');

  it('ci.yml fetches Electron and runs the Electron specs under a virtual display, requiring the binary', () => {
    const job = ci.jobs['electron']!;
    expect(job.env?.[requireElectronVariable]).toBe('1');
    expect(fetchesElectron(job)).toBe(true);
    expect(job.steps.some((s) => s.run === 'xvfb-run -a npx playwright test --project electron')).toBe(true);
    // and the ordinary test job keeps the project's single CI entry point
    expect(ci.jobs['test']!.steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
  });

  it('release.yml fetches Electron on every OS and runs the full tests (Electron specs included), requiring the binary', () => {
    const job = release.jobs['test']!;
    expect(job.env?.[requireElectronVariable]).toBe('1');
    expect(fetchesElectron(job)).toBe(true);
    expect(job.steps.some((s) => s.run === 'xvfb-run -a npm test' && s.if === "runner.os == 'Linux'")).toBe(true);
    expect(job.steps.some((s) => s.run === 'npm test' && s.if === "runner.os != 'Linux'")).toBe(true);
    const oses = (job.strategy!.matrix['include'] as { os: string }[]).map((m) => m.os.split('-')[0]).sort();
    expect(oses).toEqual(['macos', 'ubuntu', 'windows']);
  });

  it('with that variable set, a missing binary is a failure, not a skip', () => {
    const missing = { missing: 'no binary here' };
    expect(electronGate(missing, { [requireElectronVariable]: '1' })).toEqual({ fail: expect.stringContaining('no binary here') });
    expect(electronGate(missing, {})).toEqual({ skip: 'no binary here' });
    expect(electronGate({ path: '/opt/electron' }, { [requireElectronVariable]: '1' })).toEqual({ run: '/opt/electron' });
  });
});

describe('release.yml publishes one signed release', () => {
  const release = parse(read('release.yml')) as Workflow;
  const steps = release.jobs['publish']!.steps;
  const build = (flag: string) => steps.find((s) => s.run?.includes(`electron-builder ${flag}`))!;

  it('runs on version tags only, testing before anything is published', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on['push'].tags).toEqual(['v*.*.*']);
    expect(release.jobs['draft']!.needs).toBe('test');
    expect(release.jobs['publish']!.needs).toBe('draft');
  });

  it('creates the draft in one job; the platform builds only upload into it', () => {
    const draft = release.jobs['draft']!;
    expect(draft['runs-on']).toBe('ubuntu-latest');
    expect(draft.steps.some((s) => s.run?.includes('gh release create "$GITHUB_REF_NAME"') && s.run.includes('--draft'))).toBe(true);
    expect(Object.keys(release.jobs['publish']!.strategy!.matrix)).toEqual(['os']);
    expect((release.jobs['publish']!.strategy!.matrix['os'] as string[]).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    for (const flag of ['--mac', '--win', '--linux']) {
      expect(build(flag).run).toContain('--publish always');
      expect(build(flag).env?.['GH_TOKEN']).toBe('${{ secrets.GITHUB_TOKEN }}');
    }
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(release.jobs['test']!.permissions).toBeUndefined();
  });

  it('signs or fails on macOS and Windows, naming the Windows publisher only with the signing options', () => {
    for (const flag of ['--mac', '--win']) expect(build(flag).run).toContain('-c.forceCodeSigning=true');
    expect(build('--mac').run).toMatch(/CSC_LINK[\s\S]*exit 1/);
    const win = build('--win').run!;
    expect(win).toContain('-c.win.azureSignOptions.publisherName=$WIN_PUBLISHER_NAME');
    expect(win).toContain('-c.win.signtoolOptions.publisherName=$WIN_PUBLISHER_NAME');
    expect(win.indexOf('azureSignOptions')).toBeLessThan(win.indexOf('signtoolOptions')); // Azure Trusted Signing first
    expect(win).toMatch(/no Windows signing configured[\s\S]*exit 1/);
  });

  it('gives each platform only its own signing secrets, and the tests none', () => {
    const secretNames = (step: Step) =>
      Object.entries(step.env ?? {})
        .filter(([, v]) => v.includes('secrets.'))
        .map(([k]) => k)
        .sort();
    expect(secretNames(build('--mac'))).toEqual(['APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_ID', 'APPLE_TEAM_ID', 'CSC_KEY_PASSWORD', 'CSC_LINK', 'GH_TOKEN']);
    expect(secretNames(build('--win'))).toEqual(['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID', 'GH_TOKEN', 'WIN_CSC_KEY_PASSWORD', 'WIN_CSC_LINK']);
    expect(secretNames(build('--linux'))).toEqual(['GH_TOKEN']);
    expect(JSON.stringify(release.jobs['test'])).not.toContain('secrets.');
  });

  it('embeds the public OAuth client ids from repository variables', () => {
    expect(release.jobs['publish']!.env).toEqual({
      RELEASE_BOARD_BUILD_GITHUB_CLIENT_ID: '${{ vars.RELEASE_BOARD_GITHUB_CLIENT_ID }}',
      RELEASE_BOARD_BUILD_GITLAB_CLIENT_ID: '${{ vars.RELEASE_BOARD_GITLAB_CLIENT_ID }}',
    });
  });
});
