// In-memory git object model for the sandbox forge: blobs, trees and commits hashed
// with SHA-1 over git's own object encoding, so SHAs computed here match what `git`
// would compute for the same content and clients can compare them like real ones.
import { createHash } from 'node:crypto';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

export type TreeMode = '100644' | '100755' | '120000' | '040000' | '160000';

export interface TreeEntry {
  name: string;
  mode: TreeMode;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  date: string; // ISO 8601, second precision
}

export type GitObject =
  | { type: 'blob'; sha: string; content: Buffer }
  | { type: 'tree'; sha: string; entries: TreeEntry[] }
  | { type: 'commit'; sha: string; tree: string; parents: string[]; author: GitIdentity; committer: GitIdentity; message: string };

/** A flattened tree: full path → blob sha and mode. */
export type FlatTree = Map<string, { sha: string; mode: TreeMode }>;

function hashObject(type: string, body: Buffer): string {
  const header = Buffer.from(`${type} ${body.length}\0`, 'utf8');
  return createHash('sha1').update(header).update(body).digest('hex');
}

function identityLine(who: GitIdentity): string {
  const seconds = Math.floor(Date.parse(who.date) / 1000);
  return `${who.name} <${who.email}> ${seconds} +0000`;
}

// git orders tree entries by name, comparing directories as if their name ended in '/'.
function treeSortKey(e: TreeEntry): string {
  return e.mode === '040000' ? `${e.name}/` : e.name;
}

export class ObjectStore {
  private readonly objects = new Map<string, GitObject>();

  has(sha: string): boolean {
    return this.objects.has(sha);
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha);
  }

  writeBlob(content: Buffer | string): string {
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const sha = hashObject('blob', buf);
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'blob', sha, content: buf });
    return sha;
  }

  writeTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => (treeSortKey(a) < treeSortKey(b) ? -1 : treeSortKey(a) > treeSortKey(b) ? 1 : 0));
    const parts: Buffer[] = [];
    for (const e of sorted) {
      // git writes tree modes without the leading zero
      const mode = e.mode === '040000' ? '40000' : e.mode;
      parts.push(Buffer.from(`${mode} ${e.name}\0`, 'utf8'), Buffer.from(e.sha, 'hex'));
    }
    const sha = hashObject('tree', Buffer.concat(parts));
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'tree', sha, entries: sorted });
    return sha;
  }

  writeCommit(c: { tree: string; parents: string[]; author: GitIdentity; committer: GitIdentity; message: string }): string {
    let text = `tree ${c.tree}\n`;
    for (const p of c.parents) text += `parent ${p}\n`;
    text += `author ${identityLine(c.author)}\ncommitter ${identityLine(c.committer)}\n\n${c.message}`;
    const sha = hashObject('commit', Buffer.from(text, 'utf8'));
    if (!this.objects.has(sha)) this.objects.set(sha, { type: 'commit', sha, ...c, parents: [...c.parents] });
    return sha;
  }

  blob(sha: string): Extract<GitObject, { type: 'blob' }> | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'blob' ? o : undefined;
  }

  tree(sha: string): Extract<GitObject, { type: 'tree' }> | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'tree' ? o : undefined;
  }

  commit(sha: string): Extract<GitObject, { type: 'commit' }> | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'commit' ? o : undefined;
  }

  /** Every blob under a tree, keyed by full path. */
  flatten(treeSha: string, prefix = '', out: FlatTree = new Map()): FlatTree {
    const t = this.tree(treeSha);
    if (!t) return out;
    for (const e of t.entries) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.type === 'tree') this.flatten(e.sha, path, out);
      else out.set(path, { sha: e.sha, mode: e.mode });
    }
    return out;
  }

  /** Writes the nested trees for a flat path map and returns the root tree sha. */
  buildTree(flat: FlatTree): string {
    interface Dir {
      files: TreeEntry[];
      dirs: Map<string, Dir>;
    }
    const root: Dir = { files: [], dirs: new Map() };
    for (const [path, { sha, mode }] of flat) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.dirs.get(part);
        if (!next) {
          next = { files: [], dirs: new Map() };
          dir.dirs.set(part, next);
        }
        dir = next;
      }
      dir.files.push({ name: parts[parts.length - 1] ?? path, mode, type: mode === '160000' ? 'commit' : 'blob', sha });
    }
    const write = (d: Dir): string => {
      const entries = [...d.files];
      for (const [name, sub] of d.dirs) entries.push({ name, mode: '040000', type: 'tree', sha: write(sub) });
      return this.writeTree(entries);
    };
    return write(root);
  }

  /** Entry at a path inside a tree ('' = the tree itself). */
  lookup(treeSha: string, path: string): TreeEntry | undefined {
    if (path === '') return { name: '', mode: '040000', type: 'tree', sha: treeSha };
    let current = treeSha;
    const parts = path.split('/').filter((p) => p !== '');
    let found: TreeEntry | undefined;
    for (const [i, part] of parts.entries()) {
      const t = this.tree(current);
      if (!t) return undefined;
      found = t.entries.find((e) => e.name === part);
      if (!found) return undefined;
      if (i < parts.length - 1) {
        if (found.type !== 'tree') return undefined;
        current = found.sha;
      }
    }
    return found;
  }

  /** All commits reachable from `sha` (inclusive). */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const s = stack.pop() as string;
      if (seen.has(s)) continue;
      seen.add(s);
      const c = this.commit(s);
      if (c) stack.push(...c.parents);
    }
    return seen;
  }

  isAncestor(maybeAncestor: string, of: string): boolean {
    return this.ancestors(of).has(maybeAncestor);
  }

  /** Nearest common ancestor found breadth-first from `b`. */
  mergeBase(a: string, b: string): string | undefined {
    const fromA = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const s = queue.shift() as string;
      if (seen.has(s)) continue;
      seen.add(s);
      if (fromA.has(s)) return s;
      const c = this.commit(s);
      if (c) queue.push(...c.parents);
    }
    return undefined;
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  commitsBetween(base: string, head: string): string[] {
    const exclude = this.ancestors(base);
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (s: string): void => {
      if (seen.has(s) || exclude.has(s)) return;
      seen.add(s);
      const c = this.commit(s);
      if (c) for (const p of c.parents) visit(p);
      out.push(s);
    };
    visit(head);
    return out;
  }
}

export interface FileChange {
  path: string;
  before: string | null; // blob sha
  after: string | null;
}

/** Paths whose blob differs between two flat trees, sorted by path. */
export function diffFlat(before: FlatTree, after: FlatTree): FileChange[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  const out: FileChange[] = [];
  for (const path of [...paths].sort()) {
    const b = before.get(path)?.sha ?? null;
    const a = after.get(path)?.sha ?? null;
    if (b !== a) out.push({ path, before: b, after: a });
  }
  return out;
}

/** Lines of unchanged context around each change, as git and GitHub show them. */
const CONTEXT_LINES = 3;

interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** The line edit script between two texts (LCS; files in the sandbox are small), deletions before additions. */
function lineEdits(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = a[i] === b[j] ? (lcs[i + 1] as number[])[j + 1]! + 1 : Math.max((lcs[i + 1] as number[])[j]!, row[j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (i < n && (j >= m || (lcs[i + 1] as number[])[j]! >= (lcs[i] as number[])[j + 1]!)) {
      out.push({ op: '-', text: a[i]! });
      i++;
    } else {
      out.push({ op: '+', text: b[j]! });
      j++;
    }
  }
  return out;
}

/**
 * Git's default hunk heading: the nearest line above the hunk (in the old file) that starts
 * with a letter, '_' or '$', trailing blanks trimmed, at most 80 characters.
 */
function sectionHeading(a: string[], linesBefore: number): string | undefined {
  for (let k = linesBefore - 1; k >= 0; k--) {
    if (/^[A-Za-z_$]/.test(a[k]!)) return a[k]!.replace(/\s+$/, '').slice(0, 80);
  }
  return undefined;
}

/** "-3,2", "-3" for one line, "-0,0" before the first line: git's hunk range. */
function hunkRange(sign: '-' | '+', linesBefore: number, count: number): string {
  if (count === 0) return `${sign}${linesBefore},0`;
  return count === 1 ? `${sign}${linesBefore + 1}` : `${sign}${linesBefore + 1},${count}`;
}

/**
 * Added/removed line counts and the unified-diff hunks GitHub puts in a pull request's
 * files[].patch: "@@ -a,b +c,d @@" headers, removals before additions, 3 lines of context,
 * nearby changes sharing a hunk.
 */
export function lineDiffStats(before: string, after: string): { additions: number; deletions: number; patch: string } {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const edits = lineEdits(a, b);
  const additions = edits.filter((e) => e.op === '+').length;
  const deletions = edits.filter((e) => e.op === '-').length;
  const changed = edits.flatMap((e, k) => (e.op === ' ' ? [] : [k]));
  // Group changes whose context windows touch; each group is one hunk.
  const groups: [number, number][] = [];
  for (const k of changed) {
    const last = groups[groups.length - 1];
    if (last && k - last[1] <= 2 * CONTEXT_LINES + 1) last[1] = k;
    else groups.push([k, k]);
  }
  const hunks: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - CONTEXT_LINES);
    const to = Math.min(edits.length, last + CONTEXT_LINES + 1);
    const before = edits.slice(0, from);
    const body = edits.slice(from, to);
    const aBefore = before.filter((e) => e.op !== '+').length;
    const bBefore = before.filter((e) => e.op !== '-').length;
    const aCount = body.filter((e) => e.op !== '+').length;
    const bCount = body.filter((e) => e.op !== '-').length;
    const heading = sectionHeading(a, aBefore);
    hunks.push([`@@ ${hunkRange('-', aBefore, aCount)} ${hunkRange('+', bBefore, bCount)} @@${heading ? ` ${heading}` : ''}`, ...body.map((e) => `${e.op}${e.text}`)].join('\n'));
  }
  return { additions, deletions, patch: hunks.join('\n') };
}
