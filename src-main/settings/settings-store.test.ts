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

  it('never writes a client secret in the clear: sealed by the OS where it can, else kept in memory only', async () => {
    const host = { type: 'gitlab' as const, webUrl: 'https://gitlab.example.test', clientId: 'app', clientSecret: 'gloas-client-secret-value' };
    // without OS encryption: usable now, gone after a restart, never on disk
    const plainDir = await tempDir();
    const unsealed = await openSettingsStore(plainDir);
    await unsealed.update({ forgeHosts: [host] });
    expect(unsealed.get().forgeHosts[0]?.clientSecret).toBe('gloas-client-secret-value');
    expect(await readFile(path.join(plainDir, 'settings.json'), 'utf8')).not.toContain('gloas-client-secret-value');
    expect((await openSettingsStore(plainDir)).get().forgeHosts[0]).toEqual({ type: 'gitlab', webUrl: 'https://gitlab.example.test', clientId: 'app' });

    // with OS encryption (a stand-in for safeStorage): sealed on disk, opened into memory
    const box = {
      seal: (s: string) => Buffer.from(`sealed:${s}`).toString('base64'),
      open: (s: string) =>
        Buffer.from(s, 'base64')
          .toString()
          .replace(/^sealed:/, ''),
    };
    const sealedDir = await tempDir();
    await (await openSettingsStore(sealedDir, undefined, box)).update({ forgeHosts: [host] });
    const file = await readFile(path.join(sealedDir, 'settings.json'), 'utf8');
    expect(file).not.toContain('gloas-client-secret-value');
    expect(file).toContain('clientSecretSealed');
    expect((await openSettingsStore(sealedDir, undefined, box)).get().forgeHosts[0]?.clientSecret).toBe('gloas-client-secret-value');
    // a secret the OS cannot open (another user, a reset keychain) is dropped with a problem, not fatal
    const problems: string[] = [];
    const broken = await openSettingsStore(sealedDir, (m) => problems.push(m), {
      seal: box.seal,
      open: () => {
        throw new Error('no key');
      },
    });
    expect(broken.get().forgeHosts[0]?.clientSecret).toBeUndefined();
    expect(problems).toEqual(['The stored client secret of https://gitlab.example.test could not be decrypted; enter it again in Settings.']);
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
