// An installed Release Board never runs with Chromium's sandbox off. electron-builder's
// AppImage launcher adds --no-sandbox by itself where the sandbox cannot start — Ubuntu 24.04
// and later restrict the unprivileged user namespaces it needs (AppArmor), and an AppImage
// cannot carry the helper that works around that. Instead of running every page it shows
// without isolation, the app says why and what to install, and quits.

export interface SandboxFacts {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** app.commandLine.hasSwitch('no-sandbox') */
  noSandbox: boolean;
  env: Record<string, string | undefined>;
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns, when it exists */
  usernsRestriction: () => string | undefined;
}

/** undefined when the app may start; otherwise the advice to show before quitting. */
export function sandboxRefusal(facts: SandboxFacts): string | undefined {
  // Development runs may (root in a container cannot sandbox at all); installed builds may not.
  if (!facts.noSandbox || !facts.isPackaged) return undefined;
  const why = 'Release Board does not run with Chromium’s sandbox turned off (--no-sandbox): every page it shows would lose the isolation that keeps it away from your files and credentials.';
  if (facts.platform !== 'linux' || !facts.env['APPIMAGE']) return `${why}\n\nStart it without --no-sandbox.`;
  const restricted = facts.usernsRestriction()?.trim() === '1';
  const cause = restricted
    ? 'This system restricts the user namespaces the sandbox needs (kernel.apparmor_restrict_unprivileged_userns = 1, the default on Ubuntu 24.04 and later), and an AppImage cannot set up the sandbox another way, so its launcher turned the sandbox off.'
    : 'The AppImage launcher turned the sandbox off because this system does not let it create the user namespaces the sandbox needs.';
  return `${why}\n\n${cause}\n\nInstall the .deb package instead: its installer sets the sandbox up (an AppArmor profile for the app). See docs/troubleshooting.md, "Linux AppImage does not start".`;
}
