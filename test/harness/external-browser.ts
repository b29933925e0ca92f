// Stands in for the system browser in the preview harness: product code calls its
// openExternal (shell.openExternal in the desktop app); tests take the URLs from here and
// open them in a Playwright page, as a user's browser would.
export interface ExternalBrowserHook {
  open(url: string): Promise<void>;
  opened: string[];
  /** Resolves with the next URL opened (or one already opened and not yet taken). */
  next(timeoutMs?: number): Promise<string>;
}

export function createExternalBrowserHook(onOpen?: (url: string) => void): ExternalBrowserHook {
  const opened: string[] = [];
  const pending: string[] = [];
  const waiters: ((url: string) => void)[] = [];
  return {
    opened,
    async open(url) {
      opened.push(url);
      onOpen?.(url);
      const waiter = waiters.shift();
      if (waiter) waiter(url);
      else pending.push(url);
    },
    next(timeoutMs = 15_000) {
      const ready = pending.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL was opened in the system browser within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((url) => {
          clearTimeout(timer);
          resolve(url);
        });
      });
    },
  };
}

/** The environment a sandbox gives the services: its forges as configured hosts. */
export function sandboxForgeHostsEnv(
  info: {
    forge: { url: string };
    gitlab?: { url: string };
    users: {
      oauthApps: { clientId: string; clientSecret: string; expiringTokens: boolean }[];
      gitlab?: { oauthApps: { clientId: string; confidential: boolean }[] };
    };
  },
  options: { expiringTokens?: boolean } = {},
): string {
  const app = info.users.oauthApps.find((a) => a.expiringTokens === (options.expiringTokens ?? false)) ?? info.users.oauthApps[0]!;
  const hosts: object[] = [{ type: 'github', webUrl: info.forge.url, clientId: app.clientId, clientSecret: app.clientSecret }];
  const gitlabApp = info.users.gitlab?.oauthApps.find((a) => !a.confidential);
  if (info.gitlab && gitlabApp) hosts.push({ type: 'gitlab', webUrl: info.gitlab.url, clientId: gitlabApp.clientId });
  return JSON.stringify(hosts);
}
