// Every npm command the README and docs/*.md tell people to run exists: `npm run X` and
// `npm X` name a script in package.json (or one of npm's own commands). The commands whose
// documented options we can check cheaply answer --help, and every option the docs pass them
// is in that answer.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const scripts = Object.keys((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const docs = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** npm's own commands the docs may mention; anything else after `npm` must be a script. */
const NPM_BUILTINS = new Set(['ci', 'install', 'i', 'exec', 'view', 'version', 'pkg', 'ls', 'install-scripts']);

interface NpmCommand {
  doc: string;
  script: string;
  /** the text after `--`, where the doc passes arguments */
  args: string;
}

/** Where a Markdown page writes commands: shell code blocks and inline `code` spans. */
function codeIn(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^\s*```(?:sh|bash|shell|console)\s*\n([\s\S]*?)^\s*```/gm)].map((m) => m[1]!);
  const prose = markdown.replace(/^\s*```[^\n]*\n[\s\S]*?^\s*```/gm, '');
  return [...fenced, ...[...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)];
}

function npmCommands(doc: string, markdown: string): NpmCommand[] {
  const found: NpmCommand[] = [];
  for (const m of codeIn(markdown)
    .join('\n')
    .matchAll(/\bnpm (?:run )?([a-z][a-z0-9:-]*)((?: --(?!\s)| -- )[^`\n|]*)?/g)) {
    const args = m[2]?.trim().startsWith('-- ') ? m[2].trim().slice(3) : (m[2] ?? '').trim();
    found.push({ doc, script: m[1]!, args });
  }
  return found;
}

const commands = docs.flatMap((doc) => npmCommands(doc, readFileSync(path.join(root, doc), 'utf8')));

/** Scripts that answer --help quickly, and how to ask without building the app first. */
const HELP: Record<string, string[]> = {
  sandbox: ['test/sandbox/cli.ts', '--help'],
  preview: ['test/harness/preview.ts', '--help'],
};

function help(script: string): string {
  // the Node running this test (the project's), not whichever `node` is first on PATH
  return execFileSync(process.execPath, ['--import', 'tsx', ...HELP[script]!], { cwd: root, encoding: 'utf8', timeout: 20_000 });
}

describe('commands in the docs', () => {
  it('finds the commands the README documents', () => {
    const inReadme = new Set(commands.filter((c) => c.doc === 'README.md').map((c) => c.script));
    for (const s of ['start', 'test', 'preview', 'sandbox', 'demo', 'bench']) expect(inReadme).toContain(s);
  });

  it.each(commands.map((c) => [`${c.doc}: npm ${c.script}`, c.script]))('%s is a package.json script or an npm command', (_where, script) => {
    expect(NPM_BUILTINS.has(script) || scripts.includes(script)).toBe(true);
  });

  it('every documented script still exists', () => {
    // The reverse direction, loosely: the scripts a user is meant to run are documented somewhere.
    const documented = new Set(commands.map((c) => c.script));
    for (const s of ['start', 'test', 'preview', 'sandbox', 'demo', 'docs:screenshots']) expect(documented, s).toContain(s);
  });

  it.each(Object.keys(HELP))('npm run %s -- --help answers with every option the docs pass it', (script) => {
    const usage = help(script);
    expect(usage).toMatch(/^usage: /);
    const options = new Set(commands.filter((c) => c.script === script).flatMap((c) => [...c.args.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((m) => m[1]!)));
    expect(options.size).toBeGreaterThan(0);
    for (const option of options) expect(usage, `${option} documented for npm run ${script}`).toContain(option);
  });

  it('reads commands with and without arguments, in prose and in code', () => {
    // fenced blocks first, then inline code
    expect(
      npmCommands(
        'x.md',
        'Run `npm start`, then `npm run preview -- --seed demo --port 5180` (npm registry is prose).\n| `npm run test:unit` / `npm run lint` |\n```sh\nnpm run sandbox -- --seed empty\n```\n```\ntree: npm things\n```\n',
      ),
    ).toEqual([
      { doc: 'x.md', script: 'sandbox', args: '--seed empty' },
      { doc: 'x.md', script: 'start', args: '' },
      { doc: 'x.md', script: 'preview', args: '--seed demo --port 5180' },
      { doc: 'x.md', script: 'test:unit', args: '' },
      { doc: 'x.md', script: 'lint', args: '' },
    ]);
  });
});
