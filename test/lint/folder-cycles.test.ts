// Proves the folder-cycle rule (scripts/lint/no-folder-cycles.mjs) fires on a cycle between
// src-main folders, names the cycle, stays quiet on one-way imports, and that the real tree
// has no cycle at all.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import tseslint from 'typescript-eslint';
import noFolderCycles, { findPath, folderGraph } from '../../scripts/lint/no-folder-cycles.mjs';

const eslint = new ESLint();
const RULE = 'release-board/no-folder-cycles';

async function cycleMessages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('no import cycles between src-main folders', () => {
  it('fires when forges imports auth (auth already imports forges)', async () => {
    const messages = await cycleMessages("import type { SessionVault } from '../auth/session-vault';\nexport type V = SessionVault;\n", 'src-main/forges/x.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/forges → auth → forges/);
  });

  it('fires on a longer cycle and on a folder importing the composition root', async () => {
    // kube → pipelines → common exists; common → kube closes no cycle, but pipelines → kube does
    expect(await cycleMessages("export { createBoardService } from '../kube/board-service';\n", 'src-main/pipelines/x.ts')).toHaveLength(1);
    expect(await cycleMessages("export { createMainServices } from '../services';\n", 'src-main/git/x.ts')).toHaveLength(1);
  });

  it('allows a one-way import, imports inside a folder and test files', async () => {
    expect(await cycleMessages("export { forgeKindFor } from '../forges/registry';\n", 'src-main/git/x.ts')).toEqual([]);
    expect(await cycleMessages("export { promotionMarker } from './markers';\n", 'src-main/git/x.ts')).toEqual([]);
    expect(await cycleMessages("export { createSessionVault } from '../auth/session-vault';\n", 'src-main/forges/x.test.ts')).toEqual([]);
  });

  it('passes on the real tree: the folder graph has no cycle', async () => {
    const graph = folderGraph('src-main');
    const cycles = [...graph.keys()].flatMap((from) => [...(graph.get(from) ?? [])].filter((to) => findPath(graph, to, from)).map((to) => `${from} → ${to}`));
    expect(cycles).toEqual([]);
    expect(graph.get('auth')?.has('forges')).toBe(true);
    // only this rule, so linting the whole tree stays quick on a busy machine
    const ruleOnly = new ESLint({
      overrideConfigFile: true,
      allowInlineConfig: false,
      overrideConfig: [
        {
          files: ['src-main/**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { 'release-board': { rules: { 'no-folder-cycles': noFolderCycles } } },
          rules: { [RULE]: 'error' },
        },
      ],
    });
    const results = await ruleOnly.lintFiles(['src-main/**/*.ts']);
    expect(results.length).toBeGreaterThan(100);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.ruleId ?? 'parse'} ${m.message}`))).toEqual([]);
  }, 180_000); // a bound for a busy 2-core machine, not a measurement

  it('keeps auth, git and tokens apart', () => {
    const graph = folderGraph('src-main');
    for (const [a, b] of [
      ['auth', 'git'],
      ['git', 'auth'],
      ['auth', 'tokens'],
      ['tokens', 'auth'],
      ['git', 'tokens'],
      ['tokens', 'git'],
    ] as const) {
      expect(findPath(graph, a, b), `${a} reaches ${b}`).toBeNull();
    }
  });
});
