// State main both answers for and pushes (update state, settings, sessions): a push that comes
// before the first answer is newer than that answer, which must not put the older state back.
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../src-main/common/result';
import type { SessionInfo } from '../../src-main/common/session';
import type { TokenReport } from '../../src-main/common/tokens';
import { installFakeMain, uninstallFakeMain } from '../testing/fake-main';
import { createAppStore } from './store';

afterEach(uninstallFakeMain);

const report = (generatedAt: string): TokenReport => ({ generatedAt, secretReading: 'enabled', entries: [], pipelines: [], problems: [] }) as unknown as TokenReport;
const session = (login: string): SessionInfo => ({ host: 'github.com', login, name: null, avatarUrl: null, expiresAt: null }) as SessionInfo;

/** Main answering every read with what it held when asked (idle, comfortable, signed out). */
function mainAnsweringOldState() {
  return installFakeMain((channel) => {
    if (channel === 'update:get-state') return ok({ state: 'idle' });
    if (channel === 'settings:get') return ok({ theme: 'system', density: 'comfortable' });
    if (channel === 'auth:list-sessions') return ok([]);
    if (channel === 'auth:list-hosts') return ok([]);
    if (channel === 'tokens:list') return ok(report('2026-06-01T12:00:00.000Z'));
    return ok(null);
  });
}

describe('state main answers for and pushes', () => {
  it('keeps an update state pushed before the first answer arrived', async () => {
    const main = mainAnsweringOldState();
    const store = createAppStore();
    store.getState().subscribeServices();
    main.emit('update:state-changed', { state: 'checking' });
    await main.release();
    expect(store.getState().update?.state).toBe('checking');
  });

  it('takes the first answer when nothing was pushed', async () => {
    const main = mainAnsweringOldState();
    const store = createAppStore();
    store.getState().subscribeServices();
    await main.release();
    expect(store.getState().update?.state).toBe('idle');
  });

  it('keeps a density pushed before the first settings answer arrived', async () => {
    const main = mainAnsweringOldState();
    const store = createAppStore();
    store.getState().subscribeAppearance();
    main.emit('settings:changed', { theme: 'dark', density: 'compact' });
    await main.release();
    expect(store.getState().density).toBe('compact');
    expect(store.getState().theme).toBe('dark');
  });

  it('keeps a session list pushed before the first answer arrived, and still takes the hosts', async () => {
    const main = mainAnsweringOldState();
    const store = createAppStore();
    store.getState().subscribeSessions();
    main.emit('auth:session-changed', [session('octocat')]);
    await main.release();
    expect(store.getState().sessions.map((s) => s.login)).toEqual(['octocat']);
    expect(store.getState().hosts).toEqual([]);
  });

  it('keeps a token report pushed after the one a request answers with, and takes a newer answer', async () => {
    const main = mainAnsweringOldState();
    const store = createAppStore();
    store.getState().subscribeServices();
    main.emit('tokens:changed', report('2026-06-01T12:00:05.000Z')); // built after the list's answer
    await main.release();
    expect(store.getState().tokenReport?.generatedAt).toBe('2026-06-01T12:00:05.000Z');
    expect(store.getState().tokensLoading).toBe(false);
    main.emit('tokens:changed', report('2026-06-01T12:00:01.000Z')); // a push older than what is shown
    expect(store.getState().tokenReport?.generatedAt).toBe('2026-06-01T12:00:05.000Z');
    main.emit('tokens:changed', report('2026-06-01T12:01:00.000Z'));
    expect(store.getState().tokenReport?.generatedAt).toBe('2026-06-01T12:01:00.000Z');
  });
});
