// Whether this installation can update itself, decided from facts the caller passes in (so it
// is tested without Electron). electron-updater handles the AppImage (APPIMAGE is set by the
// AppImage runtime), the .deb/.rpm/pacman packages (electron-builder writes a `package-type`
// file into resources), NSIS on Windows and the signed .app on macOS. An unpacked --dir build
// on Linux is none of these.
import path from 'node:path';

export interface UpdateSupportFacts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** process.resourcesPath in Electron */
  resourcesPath: string;
  exists: (file: string) => boolean;
}

/** undefined when self-update works here; otherwise the reason to show instead. */
export function updateUnsupportedReason(facts: UpdateSupportFacts): string | undefined {
  if (facts.platform !== 'linux') return undefined;
  if (facts.env['APPIMAGE']) return undefined;
  if (facts.exists(path.join(facts.resourcesPath, 'package-type'))) return undefined;
  return 'This build cannot update itself. Install the AppImage or the .deb package to get updates.';
}
