// Finds the relative links and images in Markdown files and checks that they resolve: the
// file exists, and a #fragment into a Markdown file names one of its headings (GitHub's
// anchor rules). External links (http, mailto) are not fetched.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface LinkProblem {
  file: string;
  line: number;
  target: string;
  message: string;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes; repeats get -1, -2, … */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const line of withoutCode(markdown, { keepInlineCode: true }).split('\n')) {
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) continue;
    const text = match[1]!
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/`/g, '');
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const seen = counts.get(base) ?? 0;
    counts.set(base, seen + 1);
    anchors.add(seen === 0 ? base : `${base}-${seen}`);
  }
  // explicit HTML anchors
  for (const m of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]!);
  return anchors;
}

/** Blanks fenced code blocks and inline code (keeping line numbers), where link syntax is literal. */
function withoutCode(markdown: string, options: { keepInlineCode?: boolean } = {}): string {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const opener = /^\s*(```+|~~~+)/.exec(line);
      if (fence) {
        if (opener && opener[1]!.startsWith(fence)) fence = undefined;
        return '';
      }
      if (opener) {
        fence = opener[1]!;
        return '';
      }
      return options.keepInlineCode ? line : line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    })
    .join('\n');
}

interface Link {
  target: string;
  line: number;
  image: boolean;
}

export function extractLinks(markdown: string): Link[] {
  const links: Link[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((line, index) => {
      for (const m of line.matchAll(/(!?)\[(?:[^\]]|\][^(])*?\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[2]!, line: index + 1, image: m[1] === '!' });
      for (const m of line.matchAll(/<img\s[^>]*src="([^"]+)"/g)) links.push({ target: m[1]!, line: index + 1, image: true });
      const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
      if (ref) links.push({ target: ref[1]!, line: index + 1, image: false });
    });
  return links;
}

/** `root`: links must stay inside it (the repository) — a doc may not point at a sibling checkout. */
export function checkMarkdownLinks(file: string, markdown = readFileSync(file, 'utf8'), root?: string): LinkProblem[] {
  const problems: LinkProblem[] = [];
  const anchorsCache = new Map<string, Set<string>>();
  const anchorsOf = (mdFile: string) => {
    if (!anchorsCache.has(mdFile)) anchorsCache.set(mdFile, headingAnchors(mdFile === file ? markdown : readFileSync(mdFile, 'utf8')));
    return anchorsCache.get(mdFile)!;
  };
  for (const link of extractLinks(markdown)) {
    const { target } = link;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if (link.image && !/^https:/.test(target)) problems.push({ file, line: link.line, target, message: 'images must be files in the repository (or https)' });
      continue;
    }
    const [rawPath, fragment] = target.split('#', 2) as [string, string | undefined];
    const decoded = decodeURIComponent(rawPath);
    const resolved = decoded === '' ? file : path.resolve(path.dirname(file), decoded);
    if (root !== undefined && path.relative(root, resolved).split(path.sep)[0] === '..') {
      problems.push({ file, line: link.line, target, message: 'points outside the repository' });
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push({ file, line: link.line, target, message: link.image ? 'image does not exist' : 'file does not exist' });
      continue;
    }
    if (link.image && statSync(resolved).isDirectory()) problems.push({ file, line: link.line, target, message: 'image is a directory' });
    if (fragment !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(decodeURIComponent(fragment))) {
      problems.push({ file, line: link.line, target, message: `no heading for #${fragment} in ${path.basename(resolved)}` });
    }
  }
  return problems;
}
