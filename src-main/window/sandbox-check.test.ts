import { describe, expect, it } from 'vitest';
import { sandboxRefusal, type SandboxFacts } from './sandbox-check';

const facts = (overrides: Partial<SandboxFacts>): SandboxFacts => ({
  platform: 'linux',
  isPackaged: true,
  noSandbox: false,
  env: {},
  usernsRestriction: () => undefined,
  ...overrides,
});

describe('sandbox check at start-up', () => {
  it('lets a sandboxed app start, and development runs whatever their switches', () => {
    expect(sandboxRefusal(facts({}))).toBeUndefined();
    expect(sandboxRefusal(facts({ noSandbox: true, isPackaged: false }))).toBeUndefined();
  });

  it('refuses an AppImage whose launcher turned the sandbox off on Ubuntu 24.04+, and says to install the .deb', () => {
    const advice = sandboxRefusal(facts({ noSandbox: true, env: { APPIMAGE: '/home/u/Release Board.AppImage' }, usernsRestriction: () => '1\n' }));
    expect(advice).toContain('apparmor_restrict_unprivileged_userns = 1');
    expect(advice).toContain('Ubuntu 24.04');
    expect(advice).toContain('Install the .deb package');
    expect(advice).not.toMatch(/add --no-sandbox|run with --no-sandbox/);
  });

  it('refuses an AppImage without the sandbox for another reason, still pointing at the .deb', () => {
    const advice = sandboxRefusal(facts({ noSandbox: true, env: { APPIMAGE: '/x.AppImage' }, usernsRestriction: () => '0' }));
    expect(advice).toContain('user namespaces');
    expect(advice).not.toContain('Ubuntu 24.04');
    expect(advice).toContain('.deb');
  });

  it('refuses --no-sandbox on any other installed build', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) expect(sandboxRefusal(facts({ platform, noSandbox: true }))).toContain('Start it without --no-sandbox');
  });
});
