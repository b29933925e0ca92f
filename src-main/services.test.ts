import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from './common/board';
import { createMemoryLogger } from './log/logger';
import { githubDotCom } from './forges/forge-host';
import { createMainServices } from './services';
import { openMemorySettingsStore } from './settings/settings-store';

const appInfo = { name: 'Release Board', version: '1.0.0', platform: 'linux', arch: 'x64', versions: { electron: null, chrome: null, node: '24' }, shell: 'test' };
const emptyBoard: BoardSnapshot = { pipelines: [], clusters: [], generatedAt: '2026-01-01T00:00:00Z' };
const staticBoard = { snapshot: () => emptyBoard, subscribe: () => () => {}, stop: () => {} };

async function services() {
  const settings = openMemorySettingsStore();
  const logger = createMemoryLogger();
  const s = await createMainServices({ appInfo, logger, board: staticBoard, settings, env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
  return { s, settings, logger };
}

describe('main services', () => {
  it('saves settings, applies them, and never hands a client secret back to the renderer', async () => {
    const { s, settings } = await services();
    const events: unknown[] = [];
    s.events.subscribe((channel, payload) => channel === 'settings:changed' && events.push(payload));
    const result = await s.dispatcher.dispatch('settings:update', {
      notifyPromotions: false,
      clusterContextOverrides: { 'flux-system/prod-eu': 'prod-admin' },
      forgeHosts: [{ type: 'github', webUrl: 'https://ghe.acme.example', clientId: 'Iv1.x', clientSecret: 'app-secret-value' }],
    });
    expect(result).toMatchObject({ ok: true, value: { notifyPromotions: false, restartRequired: true, forgeHosts: [{ webUrl: 'https://ghe.acme.example', hasClientSecret: true }] } });
    expect(JSON.stringify(result)).not.toContain('app-secret-value');
    expect(JSON.stringify(events)).not.toContain('app-secret-value');
    expect(settings.get().forgeHosts[0]?.clientSecret).toBe('app-secret-value');
    // Sent again without the secret (as the renderer does): the stored one is kept.
    await s.dispatcher.dispatch('settings:update', { forgeHosts: [{ type: 'github', webUrl: 'https://ghe.acme.example', clientId: 'Iv1.y' }] });
    expect(settings.get().forgeHosts[0]).toMatchObject({ clientId: 'Iv1.y', clientSecret: 'app-secret-value' });
    await s.stop();
  });

  it('remembers theme and density, refuses unknown values, and lists environment hosts read-only', async () => {
    const settings = openMemorySettingsStore();
    const env = { KUBECONFIG: '/nonexistent/kubeconfig', RELEASE_BOARD_GITHUB_CLIENT_ID: 'Iv1.env', RELEASE_BOARD_GITHUB_CLIENT_SECRET: 'env-secret' };
    const s = await createMainServices({ appInfo, logger: createMemoryLogger(), board: staticBoard, settings, env });
    expect(await s.dispatcher.dispatch('settings:get', undefined)).toMatchObject({ ok: true, value: { theme: 'system', density: 'comfortable' } });
    await s.dispatcher.dispatch('settings:update', { theme: 'dark' });
    const result = await s.dispatcher.dispatch('settings:update', { density: 'compact' });
    expect(result).toMatchObject({ ok: true, value: { theme: 'dark', density: 'compact', environmentForgeHosts: [{ id: 'github.com', variable: 'RELEASE_BOARD_GITHUB_CLIENT_ID' }] } });
    expect(JSON.stringify(result)).not.toContain('env-secret');
    expect(settings.get().appearance).toEqual({ theme: 'dark', density: 'compact' });
    expect(await s.dispatcher.dispatch('settings:update', { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    await s.stop();
  });

  it('refuses settings fields outside the contract', async () => {
    const { s } = await services();
    expect(await s.dispatcher.dispatch('settings:update', { token: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    await s.stop();
  });

  it('answers sign-in for an unconfigured host with a clear error, not an exception', async () => {
    const { s } = await services();
    const result = await s.dispatcher.dispatch('auth:sign-in', { host: 'github.com' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message.length).toBeGreaterThan(10);
    await s.stop();
  });

  it('reports token status as unavailable, with a hint, when the kubeconfig is missing', async () => {
    const { s } = await services();
    const result = await s.dispatcher.dispatch('tokens:list', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'tokens-unavailable' } });
    expect(!result.ok && result.error.hint).toMatch(/kubeconfig/);
    await s.stop();
  });
});

describe('forge transport', () => {
  it('sends forge traffic through the fetch it is given (net.fetch in the desktop app)', async () => {
    const seen: string[] = [];
    const forgeFetch = (async (input: string | URL | Request) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response(JSON.stringify({ error: 'unavailable' }), { status: 503, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const s = await createMainServices({
      appInfo,
      logger: createMemoryLogger(),
      board: staticBoard,
      settings: openMemorySettingsStore(),
      env: { KUBECONFIG: '/nonexistent/kubeconfig' },
      forgeHosts: [githubDotCom('Iv1.public')],
      forgeFetch,
    });
    await s.dispatcher.dispatch('auth:start-device-sign-in', { host: 'github.com' });
    expect(seen.some((url) => url.startsWith('https://github.com/'))).toBe(true);
    await s.stop();
  });
});
