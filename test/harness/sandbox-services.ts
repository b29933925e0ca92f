// The REAL main services over a running sandbox, as the desktop app would have them: the
// sandbox's kubeconfig, its GitHub App (expiring user tokens) and GitLab look-alike as the
// configured Git hosts, and a "system browser" hook for sign-in pages. Used by the e2e fixtures
// and by `npm run docs:screenshots`.
import { createLogger } from '../../src-main/log/logger';
import type { SaveFile } from '../../src-main/release-log/release-log-service';
import { createMainServices, type MainServices } from '../../src-main/services';
import { openMemorySettingsStore, type Settings } from '../../src-main/settings/settings-store';
import type { Sandbox } from '../sandbox/index';
import { sandboxForgeHostsEnv, type ExternalBrowserHook } from './external-browser';
import { previewAppInfo } from './preview-server';

/**
 * `saveReleaseLog` stands in for main's native save dialog (the desktop app's
 * window/save-dialog.ts), as the preview has no native dialogs: a spec passes a recorder that
 * "saves" where a user would have chosen. Absent: exporting answers "not available", as
 * choosing a kubeconfig does here.
 */
export async function createSandboxServices(sandbox: Sandbox, browser: ExternalBrowserHook, settings: Partial<Settings> = {}, saveReleaseLog?: SaveFile): Promise<MainServices> {
  return createMainServices({
    logger: createLogger({ level: 'warn' }),
    appInfo: await previewAppInfo(),
    kubeconfigPath: sandbox.kubeconfig,
    // The GitHub host is the sandbox's GitHub App (expiring user tokens with the app's
    // permissions). Its classic OAuth app would sign in fine, but GitHub hosts ask for no
    // scopes by default, so that token could read but never push.
    env: { ...process.env, RELEASE_BOARD_FORGE_HOSTS: sandboxForgeHostsEnv(sandbox.info, { expiringTokens: true }) },
    openExternal: (url) => browser.open(url),
    settings: openMemorySettingsStore(settings),
    ...(saveReleaseLog ? { saveReleaseLog } : {}),
  });
}
