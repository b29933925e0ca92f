// The forge's object store must hash like git itself, and its PR patches must be the hunks
// git writes: both checked against the git CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ObjectStore, lineDiffStats, type FlatTree } from './git-objects.js';

const dir = mkdtempSync(join(tmpdir(), 'forge-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a dir "a" next to a file "a.b" exercises git's "directories sort as name/" rule
const files: Record<string, string> = {
  'a.b': 'dot\n',
  'a/x.txt': 'x\n',
  'a/deeper/y.yaml': 'y: 1\n',
  'README.md': '# hi\n',
  'z-last': '',
};

describe('ObjectStore', () => {
  it('produces the same tree and commit SHAs as git', () => {
    const git = (args: string[], env: Record<string, string> = {}, input?: string): string =>
      execFileSync('git', args, { cwd: dir, env: { ...process.env, ...env }, input })
        .toString()
        .trim();
    git(['init', '-q']);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(['add', '-A']);
    const gitTree = git(['write-tree']);
    const who = {
      GIT_AUTHOR_NAME: 'Alice Release',
      GIT_AUTHOR_EMAIL: 'alice@example.test',
      GIT_AUTHOR_DATE: '2026-01-05T09:00:00Z',
      GIT_COMMITTER_NAME: 'Alice Release',
      GIT_COMMITTER_EMAIL: 'alice@example.test',
      GIT_COMMITTER_DATE: '2026-01-05T09:00:00Z',
    };
    const gitCommit = git(['commit-tree', gitTree, '-m', 'Initial commit'], who);

    const store = new ObjectStore();
    const flat: FlatTree = new Map();
    for (const [path, content] of Object.entries(files)) flat.set(path, { sha: store.writeBlob(content), mode: '100644' });
    const tree = store.buildTree(flat);
    expect(tree).toBe(gitTree);
    const identity = { name: 'Alice Release', email: 'alice@example.test', date: '2026-01-05T09:00:00Z' };
    // git commit-tree -m terminates the message with a newline
    const commit = store.writeCommit({ tree, parents: [], author: identity, committer: identity, message: 'Initial commit\n' });
    expect(commit).toBe(gitCommit);

    expect([...store.flatten(tree).keys()].sort()).toEqual(Object.keys(files).sort());
    expect(store.lookup(tree, 'a/deeper/y.yaml')?.type).toBe('blob');
    expect(store.lookup(tree, 'a/deeper')?.type).toBe('tree');
    expect(store.lookup(tree, 'a/missing')).toBeUndefined();
  });

  it('finds merge bases and the commits between two tips', () => {
    const store = new ObjectStore();
    const t = store.buildTree(new Map());
    const who = { name: 'a', email: 'a@b', date: '2026-01-01T00:00:00Z' };
    const root = store.writeCommit({ tree: t, parents: [], author: who, committer: who, message: 'root' });
    const left = store.writeCommit({ tree: t, parents: [root], author: who, committer: who, message: 'left' });
    const right = store.writeCommit({ tree: t, parents: [root], author: who, committer: who, message: 'right' });
    const merge = store.writeCommit({ tree: t, parents: [left, right], author: who, committer: who, message: 'merge' });
    expect(store.mergeBase(left, right)).toBe(root);
    expect(store.isAncestor(right, merge)).toBe(true);
    expect(store.isAncestor(merge, right)).toBe(false);
    expect(store.commitsBetween(left, merge).sort()).toEqual([merge, right].sort());
  });

  it('counts added and removed lines', () => {
    expect(lineDiffStats('a\nb\nc\n', 'a\nB\nc\nd\n')).toMatchObject({ additions: 2, deletions: 1 });
    expect(lineDiffStats('', 'x\n')).toMatchObject({ additions: 1, deletions: 0 });
  });

  it('writes the unified-diff hunks git (and so GitHub) writes: 3 lines of context, - before +', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const edited = [...lines];
    edited[1] = 'line two';
    edited.splice(20, 1, 'twenty-one a', 'twenty-one b');
    const cases: [string, string][] = [
      [`${lines.join('\n')}\n`, `${edited.join('\n')}\n`],
      ['', 'a\nb\n'],
      ['a\nb\n', ''],
      ['x\ny\n', 'x\nY\n'],
    ];
    const diffDir = join(dir, 'diff');
    mkdirSync(diffDir);
    {
      for (const [before, after] of cases) {
        writeFileSync(join(diffDir, 'a'), before);
        writeFileSync(join(diffDir, 'b'), after);
        const git = spawnSync('git', ['diff', '--no-index', '-U3', 'a', 'b'], { cwd: diffDir, encoding: 'utf8' });
        const hunks = git.stdout.slice(git.stdout.indexOf('@@')).replace(/\n$/, '');
        expect(lineDiffStats(before, after).patch).toBe(hunks);
      }
    }
    expect(
      lineDiffStats(`${lines.join('\n')}\n`, `${edited.join('\n')}\n`)
        .patch.split('\n')
        .filter((l) => l.startsWith('@@')),
    ).toEqual(['@@ -1,5 +1,5 @@', '@@ -18,7 +18,8 @@ line 17']);
  });
});
