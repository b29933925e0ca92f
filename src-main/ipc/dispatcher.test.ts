import { describe, expect, it } from 'vitest';
import { ok } from '../common/result';
import { createMemoryLogger } from '../log/logger';
import { createDispatcher } from './dispatcher';
import { stubHandlers } from './test-handlers';

const emptyBoard = { pipelines: [], clusters: [], generatedAt: '2026-01-01T00:00:00Z' };
const appInfo = { name: 'Release Board', version: '1.0.0', platform: 'linux', arch: 'x64', versions: { electron: null, chrome: null, node: '24' }, shell: 'test' };

describe('request dispatcher', () => {
  it('answers a valid request with the handler’s result', async () => {
    const d = createDispatcher(stubHandlers({ 'app:get-info': () => ok(appInfo), 'board:subscribe': () => ok(emptyBoard) }), { logger: createMemoryLogger() });
    expect(await d.dispatch('app:get-info', undefined)).toEqual({ ok: true, value: appInfo });
  });

  it('refuses channels outside the contract', async () => {
    const logger = createMemoryLogger();
    const d = createDispatcher(stubHandlers({ 'app:get-info': () => ok(appInfo), 'board:subscribe': () => ok(emptyBoard) }), { logger });
    const result = await d.dispatch('fs:read-file', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(logger.records.some((r) => r.level === 'warn')).toBe(true);
  });

  it('refuses payloads that do not match the schema', async () => {
    const d = createDispatcher(stubHandlers({ 'app:get-info': () => ok(appInfo), 'board:subscribe': () => ok(emptyBoard) }), { logger: createMemoryLogger() });
    expect(await d.dispatch('app:get-info', { surprise: true })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });

  it('turns a thrown exception into an error result', async () => {
    const d = createDispatcher(
      stubHandlers({
        'app:get-info': () => {
          throw new Error('boom');
        },
        'board:subscribe': () => ok(emptyBoard),
      }),
      { logger: createMemoryLogger() },
    );
    const result = await d.dispatch('app:get-info', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(!result.ok && result.error.message).toContain('boom');
  });
});
