import { describe, expect, it } from 'vitest';
import { aboutPanelOptions } from './about-panel';
import { diagnosticsText, scrubDiagnosticText } from './diagnostics';

const app = { name: 'Release Board', version: '1.4.0', platform: 'darwin', arch: 'arm64', versions: { electron: '45.4.1', chrome: '142.0.7444.52', node: '24.11.0' }, shell: 'electron' };

// Shapes that must never appear in copied diagnostics.
const tokenShapes: RegExp[] = [
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bglpat-[A-Za-z0-9_-]{16,}/,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /[A-Za-z0-9+/_=-]{40,}/, // long opaque blobs: keys, certificates
  /:\/\/[^\s/]*@/, // URL with user info
  /https?:\/\/(?!\[url\])/, // any server URL at all
  /\b(?:password|secret|token)\s*[:=]\s*(?!\[REDACTED\])\S/i,
];

const nasty = [
  'GET https://alice:s3cr3t-pass@ghe.internal.example/api/v3/user failed with 401',
  'token ghp_0123456789abcdefghijABCDEFGHIJ0123456789 rejected',
  'refresh failed: github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCD',
  'kube: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  'client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVBeHl6',
  'gitlab glpat-abcdefghijklmnopqrst said no',
  'cluster https://10.0.0.1:6443?token=abc123def456 unreachable',
  'password=hunter2hunter2 in env',
  'multi\nline\r\nmessage',
];

function report(overrides: Partial<Parameters<typeof diagnosticsText>[0]> = {}) {
  return diagnosticsText({
    app,
    os: { type: 'Darwin', release: '25.1.0' },
    contexts: 4,
    clusters: [{ state: 'connected' }, { state: 'connected' }, { state: 'unreachable' }],
    pipelines: 12,
    forges: [{ signedIn: true }, { signedIn: false }],
    updateState: 'ready',
    checkUpdatesAutomatically: true,
    locale: 'en-GB',
    recentProblems: nasty,
    generatedAt: '2026-11-22T01:00:00.000Z',
    ...overrides,
  });
}

describe('diagnostics text', () => {
  it('lists versions, OS and counts', () => {
    const text = report();
    expect(text).toContain('Release Board 1.4.0 diagnostics');
    expect(text).toMatch(/electron:\s+45\.4\.1/);
    expect(text).toMatch(/chrome:\s+142\.0\.7444\.52/);
    expect(text).toMatch(/node:\s+24\.11\.0/);
    expect(text).toMatch(/os:\s+Darwin 25\.1\.0 \(darwin\/arm64\)/);
    expect(text).toMatch(/contexts:\s+4/);
    expect(text).toMatch(/clusters:\s+3 \(connected 2, unreachable 1\)/);
    expect(text).toMatch(/pipelines:\s+12/);
    expect(text).toMatch(/forges:\s+2 configured, 1 signed in/);
    expect(text).toMatch(/updates:\s+ready, automatic checks on/);
  });

  it('contains no token-shaped string, credential or server URL, even from hostile input', () => {
    const text = report();
    for (const shape of tokenShapes) expect(text, `matched ${shape}`).not.toMatch(shape);
    // the problems are still there, just scrubbed
    expect(text).toContain('rejected');
    expect(text).toContain('https://[url]');
    expect(text.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(nasty.length);
  });

  it('the token-shape check is real: unscrubbed input would fail it', () => {
    for (const line of nasty.slice(0, 8))
      expect(
        tokenShapes.some((shape) => shape.test(line)),
        line,
      ).toBe(true);
  });

  it('drops version fields that do not look like versions', () => {
    const text = report({ app: { ...app, version: 'https://x:y@evil/1.0', versions: { ...app.versions, electron: 'ghp_0123456789abcdefghijABCDEFGHIJ0123456789' } } });
    expect(text).toMatch(/electron:\s+unknown/);
    for (const shape of tokenShapes) expect(text).not.toMatch(shape);
  });

  it('keeps at most ten recent problems, each one line and short', () => {
    const many = Array.from({ length: 25 }, (_, i) => `problem ${i} ${'x'.repeat(30)} ${'y '.repeat(400)}`);
    const lines = report({ recentProblems: many })
      .split('\n')
      .filter((l) => l.startsWith('  - '));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain('problem 15');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(304);
  });

  it('says so when there are no problems and no clusters', () => {
    const text = report({ recentProblems: [], clusters: [], contexts: 0 });
    expect(text).toContain('recent problems: none');
    expect(text).toMatch(/clusters:\s+0\n/);
  });

  it('scrubs URLs to their scheme', () => {
    expect(scrubDiagnosticText('see https://user:pw@ghe.example/x?y=1 and ssh://git@host/repo')).toBe('see https://[url] and ssh://[url]');
  });
});

describe('about panel', () => {
  it('shows name, version, runtime versions, copyright and the site', () => {
    const options = aboutPanelOptions({ app, copyright: 'Copyright © 2026 Release Board team', website: 'https://github.com/release-board/release-board', iconPath: '/opt/icon.png' });
    expect(options).toMatchObject({
      applicationName: 'Release Board',
      applicationVersion: '1.4.0',
      copyright: 'Copyright © 2026 Release Board team',
      website: 'https://github.com/release-board/release-board',
      iconPath: '/opt/icon.png',
    });
    expect(options.version).toBe('Electron 45.4.1 · Chromium 142.0.7444.52 · Node 24.11.0');
    expect(options.credits).toContain('darwin/arm64');
  });
});

describe('recent problems sink', () => {
  it('keeps the last warnings and errors, redacted by the logger', async () => {
    const { createLogger } = await import('../log/logger');
    const { createRecentProblems } = await import('./recent-problems');
    const recent = createRecentProblems(2);
    const logger = createLogger({ level: 'debug', sinks: [recent.sink] });
    logger.info('kube', 'connected');
    logger.warn('kube', 'watch dropped');
    logger.error('auth', 'refresh failed for token ghp_0123456789abcdefghijABCDEFGHIJ0123456789');
    logger.warn('kube', 'watch dropped again');
    expect(recent.list()).toEqual(['[auth] refresh failed for token [REDACTED]', '[kube] watch dropped again']);
  });
});
