// The repository is self-contained: nothing in it may name the folder beside it (the team's
// working area), because a fresh clone has nothing beside it. Every tracked file is checked,
// source, scripts, configuration and docs alike; .ci/run proves the same by running the tests
// from a copy in an empty temporary folder.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Built from parts so that this file does not name the folder itself.
const NEIGHBOUR = 'shared';
const NEEDLES = [`..${'/'}${NEIGHBOUR}`, `..${'\\'}${NEIGHBOUR}`, `/work/${NEIGHBOUR}`];

/** Folders that are generated or installed, never part of the project's own text. */
const UNTRACKED_DIRS = new Set(['.git', 'node_modules', '.tools', 'out', 'dist', 'artifacts', 'test-results', 'playwright-report']);

/** The tracked files; outside a git checkout (an exported archive), every file but generated ones. */
function projectFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0')
      .filter(Boolean);
  } catch {
    const out: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!UNTRACKED_DIRS.has(entry.name)) walk(rel);
        } else if (entry.isFile()) out.push(rel);
      }
    };
    walk('');
    return out;
  }
}

function filesNamingTheNeighbour(files: string[], read: (file: string) => string): string[] {
  return files.filter((file) => {
    const text = read(file);
    return NEEDLES.some((needle) => text.includes(needle));
  });
}

describe('the repository is self-contained', () => {
  it('finds the project files to check', () => {
    const files = projectFiles();
    expect(files).toContain('package.json');
    expect(files).toContain('test/sandbox/crds/README.md');
  });

  it('has no file that names the folder beside the repository', () => {
    const files = projectFiles().filter((f) => statSync(path.join(ROOT, f), { throwIfNoEntry: false })?.isFile());
    const offenders = filesNamingTheNeighbour(files, (f) => readFileSync(path.join(ROOT, f), 'latin1'));
    expect(offenders, `these files name a path outside the repository (${NEEDLES.join(', ')}); copy what they need into the tree instead`).toEqual([]);
  });

  it('would catch a file that names it', () => {
    const texts: Record<string, string> = { 'a.ts': `import x from '${NEEDLES[0]}/crds/x';`, 'b.md': 'all local', 'c.sh': `cat ${NEEDLES[2]}/docs/x.md` };
    expect(filesNamingTheNeighbour(Object.keys(texts), (f) => texts[f] ?? '')).toEqual(['a.ts', 'c.sh']);
  });
});
