// Guards the forge-neutral modules: they must reach forges only through the forge registry
// (src-main/git/forge-registry.ts), never by naming a forge or importing its modules. A hit
// here means a forge-specific branch crept into shared code; move it into the registry entry.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forgeKindFor } from './registry';

const NEUTRAL = [
  'src-main/git/promotion-plan.ts',
  'src-main/git/promotion-service.ts',
  'src-main/git/pull-discovery.ts',
  'src-main/git/markers.ts',
  'src-main/auth/session-vault.ts',
  'src-main/auth/auth-service.ts',
];

const root = fileURLToPath(new URL('../../', import.meta.url));
const FORGE_NAMES = /github|gitlab|octokit|bitbucket/i;
// modules that hold one forge's code (the registry itself is the allowed way in)
const FORGE_MODULES = /(^|\/)(github|gitlab)[^'"]*|token-endpoint|gitlab-oauth|@octokit/i;

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:import|export)[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
}

describe('forge-neutral modules', () => {
  for (const file of NEUTRAL) {
    it(`${file} names no forge and imports no forge-specific module`, () => {
      const source = readFileSync(`${root}${file}`, 'utf8');
      const lines = source.split('\n').flatMap((text, i) => (FORGE_NAMES.test(text) ? [`${i + 1}: ${text.trim()}`] : []));
      expect(lines).toEqual([]);
      expect(importsOf(source).filter((spec) => FORGE_MODULES.test(spec))).toEqual([]);
    });
  }

  it('the checks would catch a forge check and a forge import', () => {
    const bad = "import { createGitHubProvider } from './github/github-provider';\nif (host.type === 'gitlab') x();";
    expect(FORGE_NAMES.test(bad.split('\n')[1] as string)).toBe(true);
    expect(importsOf(bad).filter((spec) => FORGE_MODULES.test(spec))).toEqual(['./github/github-provider']);
    expect(importsOf("import { x } from './github/oauth';").filter((spec) => FORGE_MODULES.test(spec))).toHaveLength(1);
  });
});

describe('forge wording from the registry', () => {
  it('references PRs as each forge does: GitHub #N, GitLab !N', () => {
    expect(forgeKindFor({ type: 'github' }).pullRequestRef(2)).toBe('PR #2');
    expect(forgeKindFor({ type: 'gitlab' }).pullRequestRef(2)).toBe('merge request !2');
  });
});
