// ESLint rule: no import cycle between the top-level folders of src-main (auth, git, forges,
// kube, ...). A folder may depend on another only if that one does not, directly or through
// others, depend back. It is what keeps docs/architecture.md's layer picture true: a cycle
// means two folders can only be understood (and changed) together.
//
// The rule looks at each import of the file being linted; when it points into another folder,
// it asks whether that folder reaches the file's own folder in the folder graph of the tree
// on disk (production files only: tests may import fixtures from anywhere). Type-only imports
// count: a type is a dependency of the design even if it vanishes at runtime. Files directly
// in src-main (the composition root) form the folder ".", so no folder may import them.
import fs from 'node:fs';
import path from 'node:path';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const isProduction = (file) => /\.(ts|tsx|mts)$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.endsWith('.d.ts');

/** The top-level folder of `file` under `root` ("." for files directly in it), or null outside. */
export function folderOf(root, file) {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  return parts.length === 1 ? '.' : parts[0];
}

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (isProduction(entry.name)) out.push(full);
  }
  return out;
}

/** Folder → folders it imports, from every production file under root. */
export function folderGraph(root) {
  const graph = new Map();
  for (const file of walk(root, [])) {
    const from = folderOf(root, file);
    const edges = graph.get(from) ?? new Set();
    graph.set(from, edges);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const to = folderOf(root, path.resolve(path.dirname(file), m[1]));
      if (to !== null && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** A path start → … → goal in the graph, or null. */
export function findPath(graph, start, goal) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === goal) {
      const route = [];
      for (let n = goal; n !== null; n = previous.get(n)) route.unshift(n);
      return route;
    }
    for (const next of graph.get(node) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}

// One graph per root per lint run: every file of the run sees the same tree.
const graphs = new Map();

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbids import cycles between the top-level folders of src-main.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      cycle: 'Import cycle between src-main folders: {{cycle}}. Move the shared part into a folder both may import (see docs/architecture.md, "Who may import whom").',
    },
  },
  create(context) {
    const root = path.resolve(context.cwd, context.options[0]?.root ?? 'src-main');
    const file = path.resolve(context.cwd, context.filename);
    const own = folderOf(root, file);
    if (own === null || !isProduction(file)) return {};
    if (!graphs.has(root)) graphs.set(root, folderGraph(root));
    const graph = graphs.get(root);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = folderOf(root, path.resolve(path.dirname(file), spec));
      if (target === null || target === own) return;
      const back = findPath(graph, target, own);
      if (back) context.report({ node: node.source, messageId: 'cycle', data: { cycle: [own, ...back].join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
