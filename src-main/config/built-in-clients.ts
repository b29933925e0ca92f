// The public OAuth client ids a release build carries for github.com and GitLab.com, so an
// installed app offers those sign-ins without configuration. They are not secrets (a desktop
// app cannot keep one; PKCE protects the code). electron-vite replaces the two constants at
// build time from RELEASE_BOARD_BUILD_GITHUB_CLIENT_ID / RELEASE_BOARD_BUILD_GITLAB_CLIENT_ID
// (see electron.vite.config.ts); a build without them, and plain Node, have none.

declare const __RELEASE_BOARD_GITHUB_CLIENT_ID__: string | undefined;
declare const __RELEASE_BOARD_GITLAB_CLIENT_ID__: string | undefined;

export interface BuiltInClients {
  github?: string;
  gitlab?: string;
}

export function builtInClients(): BuiltInClients {
  const github = typeof __RELEASE_BOARD_GITHUB_CLIENT_ID__ === 'string' ? __RELEASE_BOARD_GITHUB_CLIENT_ID__ : '';
  const gitlab = typeof __RELEASE_BOARD_GITLAB_CLIENT_ID__ === 'string' ? __RELEASE_BOARD_GITLAB_CLIENT_ID__ : '';
  return { ...(github ? { github } : {}), ...(gitlab ? { gitlab } : {}) };
}

const gitlabDotCom = 'https://gitlab.com';

/**
 * The environment the services read forge hosts from, with the built-in clients added where
 * the user's own configuration does not already name that host (theirs wins).
 */
export function withBuiltInClients(env: NodeJS.ProcessEnv, clients: BuiltInClients): NodeJS.ProcessEnv {
  const next = { ...env };
  if (clients.github && !env['RELEASE_BOARD_GITHUB_CLIENT_ID']) next['RELEASE_BOARD_GITHUB_CLIENT_ID'] = clients.github;
  if (clients.gitlab) {
    let hosts: unknown;
    try {
      hosts = JSON.parse(env['RELEASE_BOARD_FORGE_HOSTS'] ?? '[]');
    } catch {
      return next; // left as it is: the forge-host reader reports the broken value
    }
    if (!Array.isArray(hosts)) return next;
    const named = hosts.some((h: { webUrl?: unknown }) => typeof h?.webUrl === 'string' && h.webUrl.replace(/\/+$/, '') === gitlabDotCom);
    if (!named) next['RELEASE_BOARD_FORGE_HOSTS'] = JSON.stringify([...hosts, { type: 'gitlab', webUrl: gitlabDotCom, clientId: clients.gitlab }]);
  }
  return next;
}
