// Proves that the layer rules of docs/architecture.md are enforced by the lint, not by
// memory: each forbidden import is linted as if it sat in the layer it must not be in.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse-error');
}

describe('layer rules', () => {
  it.each([
    ['renderer importing main-only code', "import { createMainServices } from '../../src-main/services';\nvoid createMainServices;\n", 'src-renderer/app/x.ts'],
    ['renderer importing electron', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n", 'src-renderer/app/x.ts'],
    ['renderer importing Node', "import { readFile } from 'node:fs/promises';\nvoid readFile;\n", 'src-renderer/app/x.ts'],
    ['common importing a runtime library', "import { z } from 'zod';\nexport const s = z.string();\n", 'src-main/common/x.ts'],
    ['common importing main-only code', "import { createLogger } from '../log/logger';\nexport const l = createLogger;\n", 'src-main/common/x.ts'],
    ['main code outside ipc importing ipcMain', "import { ipcMain } from 'electron';\nvoid ipcMain;\n", 'src-main/window/x.ts'],
    ['production code importing test code', "import { startPreviewServer } from '../../test/harness/preview-server';\nvoid startPreviewServer;\n", 'src-main/kube/x.ts'],
  ])('rejects %s', async (_name, code, filePath) => {
    expect(await ruleIds(code, filePath)).toContain('no-restricted-imports');
  });

  it('rejects inaccessible markup in the renderer (jsx-a11y recommended)', async () => {
    expect(await ruleIds('export const A = () => <img src="a.png" />;\n', 'src-renderer/app/x.tsx')).toContain('jsx-a11y/alt-text');
    expect(await ruleIds('export const B = () => <div onClick={() => undefined}>go</div>;\n', 'src-renderer/app/x.tsx')).toContain('jsx-a11y/click-events-have-key-events');
    expect(await ruleIds('export const C = () => <button type="button">go</button>;\n', 'src-renderer/app/x.tsx')).toEqual([]);
  });

  it('rejects window.releaseBoard outside the bridge', async () => {
    expect(await ruleIds('export const b = window.releaseBoard;\n', 'src-renderer/features/board/x.ts')).toContain('no-restricted-properties');
  });

  it.each([
    ['renderer importing the shared contract', "import type { AppInfo } from '../../src-main/common/app-info';\nexport type A = AppInfo;\n", 'src-renderer/app/x.ts'],
    ['the bridge reading window.releaseBoard', 'export const b = window.releaseBoard;\n', 'src-renderer/bridge/x.ts'],
    ['ipc importing ipcMain', "import { ipcMain } from 'electron';\nvoid ipcMain;\n", 'src-main/ipc/x.ts'],
    ['common importing its own module', "import type { Result } from './result';\nexport type R = Result<number>;\n", 'src-main/common/x.ts'],
  ])('allows %s', async (_name, code, filePath) => {
    expect(await ruleIds(code, filePath)).toEqual([]);
  });
});
