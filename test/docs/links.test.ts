// Every relative link and image in README.md and docs/**/*.md must resolve: the file exists,
// and a #fragment into a Markdown file names one of its headings.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMarkdownLinks, extractLinks, headingAnchors } from './markdown-links';

const root = path.resolve(import.meta.dirname, '../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

const files = [path.join(root, 'README.md'), ...markdownFiles(path.join(root, 'docs'))];

describe('documentation links', () => {
  it('covers the README and the user documentation', () => {
    const names = files.map((f) => path.relative(root, f));
    for (const doc of ['README.md', 'docs/getting-started.md', 'docs/demo-sandbox.md', 'docs/configuration.md', 'docs/rbac.md', 'docs/SECURITY.md', 'docs/troubleshooting.md']) {
      expect(names).toContain(doc);
    }
  });

  it.each(files.map((f) => [path.relative(root, f), f]))('%s: every relative link and image resolves', (_name, file) => {
    expect(checkMarkdownLinks(file, undefined, root)).toEqual([]);
  });

  it('the user docs show screenshots that exist', () => {
    const images = files.flatMap((f) => extractLinks(readFileSync(f, 'utf8')).filter((l) => l.image));
    expect(images.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the link checker', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rb-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'images'));
  writeFileSync(path.join(dir, 'images/a.png'), '');
  writeFileSync(path.join(dir, 'other.md'), '# Other page\n\n## Set up `npm run demo`\n\n## Notes\n\n## Notes\n');

  it('refuses links that leave the repository, even to a file that exists', () => {
    const inner = path.join(dir, 'repo');
    mkdirSync(inner, { recursive: true });
    const page = path.join(inner, 'page.md');
    writeFileSync(page, '[sibling](../other.md) [inside](page.md)\n');
    expect(checkMarkdownLinks(page, undefined, inner).map((p) => `${p.target}:${p.message}`)).toEqual(['../other.md:points outside the repository']);
    expect(checkMarkdownLinks(page)).toEqual([]);
  });

  it('computes GitHub heading anchors', () => {
    expect([...headingAnchors('# Hello, World!\n## `npm start` (desktop)\n## Hello, World!\n```\n# not a heading\n```\n## Über [link](x.md)')]).toEqual([
      'hello-world',
      'npm-start-desktop',
      'hello-world-1',
      'über-link',
    ]);
  });

  it('reports missing files, images and anchors, and ignores code and external links', () => {
    const page = path.join(dir, 'page.md');
    const text = [
      '# Page',
      '[ok](other.md) [ok anchor](other.md#set-up-npm-run-demo) [dup](other.md#notes-1) [self](#page)',
      '![ok image](images/a.png) [web](https://example.com/x) [mail](mailto:a@b.c)',
      '[gone](missing.md) [bad anchor](other.md#nope) ![no image](images/b.png) [bad self](#nowhere)',
      '`[in code](missing-too.md)`',
      '```',
      '[in a fence](missing-three.md)',
      '```',
      '[ref]: ./missing-ref.md',
    ].join('\n');
    writeFileSync(page, text);
    const problems = checkMarkdownLinks(page).map((p) => `${p.line}:${p.target}:${p.message}`);
    expect(problems).toEqual([
      '4:missing.md:file does not exist',
      '4:other.md#nope:no heading for #nope in other.md',
      '4:images/b.png:image does not exist',
      '4:#nowhere:no heading for #nowhere in page.md',
      '9:./missing-ref.md:file does not exist',
    ]);
  });
});
