// The user's login-shell PATH, for desktop launches. An app started from the Dock/Finder
// or a .desktop file inherits a minimal PATH (/usr/bin:/bin...), so exec credential plugins
// installed by Homebrew, asdf or cloud SDKs (aws, gke-gcloud-auth-plugin, kubelogin) are not
// found although `kubectl` works in a terminal. We ask the login shell once, bounded by a
// timeout, and merge its PATH after the current one.

import { spawn } from 'node:child_process';

export interface LoginShellPathOptions {
  shell?: string;
  platform?: NodeJS.Platform;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const MARKER = '__RELEASE_BOARD_PATH__';

/** Runs `$SHELL -l -c` and returns the PATH it prints; undefined on Windows, failure or timeout. */
export function resolveLoginShellPath(opts: LoginShellPathOptions = {}): Promise<string | undefined> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  if (platform === 'win32') return Promise.resolve(undefined);
  const shell = opts.shell ?? env.SHELL ?? '/bin/sh';
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    let out = '';
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    let child: ReturnType<typeof spawn>;
    try {
      // Markers delimit PATH from whatever the profile scripts print (motd, nvm banners).
      child = spawn(shell, ['-l', '-c', `printf '%s%s%s' '${MARKER}' "$PATH" '${MARKER}'`], {
        env: { ...env, TERM: 'dumb' },
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: false,
      });
    } catch {
      resolve(undefined);
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(undefined);
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (out.length < 1_000_000) out += chunk;
    });
    child.on('error', () => finish(undefined));
    child.on('close', () => {
      const start = out.indexOf(MARKER);
      const end = out.indexOf(MARKER, start + MARKER.length);
      finish(start >= 0 && end > start ? out.slice(start + MARKER.length, end) || undefined : undefined);
    });
  });
}

/** Current PATH entries first, then entries only the login shell knows; no duplicates. */
export function mergePathLists(current: string | undefined, extra: string | undefined, platform: NodeJS.Platform = process.platform): string {
  const sep = platform === 'win32' ? ';' : ':';
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of [current, extra]) {
    for (const entry of (list ?? '').split(sep)) {
      if (entry.length === 0 || seen.has(entry)) continue;
      seen.add(entry);
      out.push(entry);
    }
  }
  return out.join(sep);
}

/** PATH to search for credential plugins: the process PATH extended by the login shell's. */
export async function credentialPluginSearchPath(opts: LoginShellPathOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const login = await resolveLoginShellPath(opts);
  return mergePathLists(env.PATH, login, opts.platform);
}
