// Facts the docs state about upstream, checked against upstream's own text. The Pipeline CRD
// (test/sandbox/crds, copied from weaveworks/pipeline-controller) describes which keys the
// pull-request strategy's Secret must hold; every Secret the docs tell people to create, and the
// Tokens view's advice, must name all of them.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SECRET_KEYS_ADVICE } from '../../src-main/tokens/token-risks';

const root = path.resolve(import.meta.dirname, '../..');
const crd = parse(readFileSync(path.join(root, 'test/sandbox/crds/pipelines.weave.works_pipelines.yaml'), 'utf8')) as unknown;
const docs = [
  path.join(root, 'README.md'),
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(root, 'docs', f)),
];
const relative = (file: string) => path.relative(root, file);

/** Every `secretRef` schema found under a `pull-request` property, with its description. */
function pullRequestSecretRefs(node: unknown, underPullRequest = false): string[] {
  if (typeof node !== 'object' || node === null) return [];
  if (Array.isArray(node)) return node.flatMap((n) => pullRequestSecretRefs(n, underPullRequest));
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'secretRef' && underPullRequest && typeof value === 'object' && value !== null && 'description' in value) return [String(value.description)];
    return pullRequestSecretRefs(value, underPullRequest || key === 'pull-request');
  });
}

/** The Secret keys a CRD description names in quotes: "… must contain 'username' and 'password' fields". */
const quotedKeys = (description: string) => [...description.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]!);

const REQUIRED_KEYS = ['token', 'username', 'password'];

interface SecretExample {
  where: string;
  keys: string[];
}

/** Secret manifests in ```yaml blocks, and `kubectl create secret generic` commands in ```sh blocks. */
function secretExamples(name: string, markdown: string): SecretExample[] {
  const manifests = [...markdown.matchAll(/```ya?ml\n([\s\S]*?)```/g)].flatMap((m) =>
    parseAllDocuments(m[1]!)
      .map((d) => d.toJSON() as { kind?: string; metadata?: { name?: string }; data?: object; stringData?: object } | null)
      .filter((d) => d?.kind === 'Secret')
      .map((d) => ({ where: `${name}: Secret ${d!.metadata?.name}`, keys: [...Object.keys(d!.data ?? {}), ...Object.keys(d!.stringData ?? {})] })),
  );
  const commands = [...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((line) => /kubectl\b.*\bcreate secret generic\b/.test(line))
      .map((line) => ({ where: `${name}: ${line.trim().slice(0, 60)}…`, keys: [...line.matchAll(/--from-(?:literal|file)=([a-z-]+)=/g)].map((k) => k[1]!) })),
  );
  return [...manifests, ...commands];
}

describe('upstream facts: the promotion Secret', () => {
  const descriptions = pullRequestSecretRefs(crd);

  it('the Pipeline CRD describes the pull-request Secret for the pipeline and for each environment', () => {
    expect(descriptions).toHaveLength(2);
    for (const d of descriptions) expect(d).toMatch(/HTTPS repositories/);
  });

  it('the keys the CRD requires are exactly the keys the docs require', () => {
    for (const d of descriptions) expect(quotedKeys(d).sort()).toEqual([...REQUIRED_KEYS].sort());
  });

  it('docs/token-guidance.md names all three keys and quotes the CRD on why', () => {
    const guide = readFileSync(path.join(root, 'docs/token-guidance.md'), 'utf8').replace(/\s+/g, ' ');
    for (const key of REQUIRED_KEYS) expect(guide).toContain(`\`${key}\``);
    expect(guide).toContain("For HTTPS repositories the Secret must contain 'username' and 'password' fields.");
    expect(guide).toMatch(/clones and pushes/);
  });

  it('the Tokens view advice names all three keys', () => {
    for (const key of REQUIRED_KEYS) expect(SECRET_KEYS_ADVICE).toMatch(new RegExp(`\\b${key}\\b`));
  });

  const examples = docs.flatMap((file) => secretExamples(relative(file), readFileSync(file, 'utf8')));
  it('the docs show at least one Secret to create', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map((e) => [e.where, e]))('%s holds token, username and password', (_where, example) => {
    expect([...new Set(example.keys)].sort()).toEqual(expect.arrayContaining([...REQUIRED_KEYS].sort()));
  });

  it('the Secret-example finder reads manifests and kubectl commands, and keeps what keys they hold', () => {
    const page = [
      '```yaml',
      'kind: Secret',
      'metadata: {name: only-token}',
      'stringData: {token: t}',
      '```',
      '```sh',
      'kubectl -n a create secret generic s \\',
      '  --from-literal=token="$T" --from-file=username=/dev/stdin',
      '```',
    ].join('\n');
    expect(secretExamples('page.md', page)).toEqual([
      { where: 'page.md: Secret only-token', keys: ['token'] },
      { where: expect.stringMatching(/^page\.md: kubectl -n a create secret generic/), keys: ['token', 'username'] },
    ]);
  });
});
