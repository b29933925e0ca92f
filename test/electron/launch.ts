// Launching the real desktop app for the Electron specs, sealed off from the user's machine:
// a temporary HOME and profile (userData), a sandbox kubeconfig instead of KUBECONFIG or
// ~/.kube/config, no forge client ids from the environment. The specs skip, saying why, where
// no Electron binary exists, and fail where RELEASE_BOARD_REQUIRE_ELECTRON=1 (the workflows).
import { _electron as electron, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../harness/preview-server';
import { electronGate, findElectronBinary } from './electron-binary';

export const gate = electronGate(findElectronBinary());
if ('skip' in gate) console.warn(`[electron] skipping the Electron specs: ${gate.skip}`);

/** Call inside each describe: skips it here without a binary, fails it in CI without one. */
export function requireElectron(): void {
  if ('fail' in gate) throw new Error(gate.fail);
  test.skip('skip' in gate, 'skip' in gate ? gate.skip : '');
}

export function electronPath(): string {
  if (!('run' in gate)) throw new Error('no Electron binary');
  return gate.run;
}

export interface Profile {
  dir: string;
  home: string;
  userData: string;
  remove(): void;
}

/** A throw-away HOME and profile folder. */
export function temporaryProfile(): Profile {
  const dir = mkdtempSync(path.join(tmpdir(), 'rb-electron-'));
  const home = path.join(dir, 'home');
  const userData = path.join(dir, 'user-data');
  mkdirSync(home);
  mkdirSync(userData);
  return { dir, home, userData, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const leaking = /^(KUBECONFIG|RELEASE_BOARD_.*|ELECTRON_RENDERER_URL|NODE_OPTIONS|HOME|USERPROFILE|APPDATA|LOCALAPPDATA|XDG_.*)$/;

/** The environment of a launched app: the test's own, minus anything that reaches the user's files. */
export function sealedEnv(profile: Profile, kubeconfig: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !leaking.test(key)) env[key] = value;
  return {
    ...env,
    HOME: profile.home,
    USERPROFILE: profile.home,
    APPDATA: path.join(profile.home, 'AppData', 'Roaming'),
    LOCALAPPDATA: path.join(profile.home, 'AppData', 'Local'),
    XDG_CONFIG_HOME: path.join(profile.home, '.config'),
    XDG_CACHE_HOME: path.join(profile.home, '.cache'),
    KUBECONFIG: kubeconfig,
    RELEASE_BOARD_USER_DATA_DIR: profile.userData,
    ELECTRON_ENABLE_LOGGING: '1',
    ...extra,
  };
}

export interface LaunchedApp {
  app: ElectronApplication;
  page: Page;
  profile: Profile;
}

/** Starts out/main/index.js in Electron, with Chromium's sandbox on, and waits for the window. */
export async function launchApp(options: { kubeconfig: string; profile?: Profile; args?: string[]; env?: Record<string, string> }): Promise<LaunchedApp> {
  const profile = options.profile ?? temporaryProfile();
  const app = await electron.launch({
    executablePath: electronPath(),
    args: [path.join(repoRoot, 'out/main/index.js'), ...(options.args ?? [])],
    env: sealedEnv(profile, options.kubeconfig, options.env),
    chromiumSandbox: true,
    cwd: profile.home,
  });
  const page = await app.firstWindow();
  return { app, page, profile };
}
