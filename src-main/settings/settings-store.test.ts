import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSettingsStore } from './settings-store';

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'rb-settings-'));

describe('settings store', () => {
  it('persists window bounds across openings', async () => {
    const dir = await tempDir();
    const first = await openSettingsStore(dir);
    await first.update({ windowBounds: { x: 5, y: 6, width: 1400, height: 900, maximized: false } });
    const second = await openSettingsStore(dir);
    expect(second.get().windowBounds).toEqual({ x: 5, y: 6, width: 1400, height: 900, maximized: false });
  });

  it('never writes fields outside the schema (no secrets can sneak in)', async () => {
    const dir = await tempDir();
    const store = await openSettingsStore(dir);
    await store.update({ token: 'ghp_shouldnotbehere' } as never);
    expect(await readFile(path.join(dir, 'settings.json'), 'utf8')).not.toContain('ghp_');
  });

  it('sets a corrupt file aside and starts from defaults', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'settings.json'), '{ not json');
    const problems: string[] = [];
    const store = await openSettingsStore(dir, (m) => problems.push(m));
    expect(store.get().windowBounds).toBeUndefined();
    expect(problems[0]).toMatch(/set aside/);
    expect((await readdir(dir)).some((f) => f.startsWith('settings.json.invalid-'))).toBe(true);
  });
});
