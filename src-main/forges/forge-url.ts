// Where to ask about a token: the forge API base URL for a pipeline's repository URL.
//
// Deliberate rule: https only, except for loopback IP literals (127.0.0.0/8, [::1]), where
// plain http is accepted. Loopback traffic never leaves the machine, which is what local
// forges (and the sandbox) use; "localhost" is not accepted because a name can be
// resolved elsewhere. Tokens are never sent over plain http to any other host.

import { err, ok, type Result } from '../common/result';
import type { TokenProvider } from '../common/tokens';
import { isHttpsOrLoopback } from '../common/web-url';

export interface ForgeTarget {
  provider: TokenProvider;
  host: string;
  /** scheme://host[:port] of the web UI. */
  webBaseUrl: string;
  apiBaseUrl: string;
  /** GitHub: owner; GitLab: the namespace path (groups/subgroups). */
  owner: string;
  repo: string;
  /** owner/repo (GitLab: the full project path). */
  fullName: string;
}

/** Resolves a repository URL (https clone or web URL) to the forge API that serves it. */
export function forgeTargetFor(provider: TokenProvider, repoUrl: string): Result<ForgeTarget> {
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    return err('invalid-repo-url', `"${repoUrl.slice(0, 200)}" is not a URL`, 'Use the https:// URL of the config repository.');
  }
  if (!isHttpsOrLoopback(url)) {
    return err('invalid-repo-url', `Repository URL ${url.protocol}//${url.host} is not HTTPS`, 'Tokens are only sent over HTTPS (plain http only to loopback addresses).');
  }
  if (url.username || url.password) {
    return err('invalid-repo-url', 'The repository URL carries credentials', 'Remove user:password@ from the URL; the token belongs in the Secret.');
  }
  const segments = url.pathname
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter((s) => s.length > 0);
  if (segments.length < 2) return err('invalid-repo-url', `Repository URL ${url.origin}${url.pathname} names no owner/repository`, 'Use https://HOST/OWNER/REPO.');
  const webBaseUrl = url.origin;
  const host = url.host.toLowerCase();
  if (provider === 'github') {
    if (segments.length !== 2) return err('invalid-repo-url', `GitHub repository URL ${url.origin}${url.pathname} should be HOST/OWNER/REPO`, 'Use https://HOST/OWNER/REPO.');
    const [owner, repo] = segments as [string, string];
    const apiBaseUrl = host === 'github.com' || host === 'www.github.com' ? 'https://api.github.com' : `${webBaseUrl}/api/v3`;
    return ok({ provider, host, webBaseUrl, apiBaseUrl, owner, repo, fullName: `${owner}/${repo}` });
  }
  if (provider === 'gitlab') {
    // GitLab projects may sit in nested groups; a "/-/" marks the start of a page path.
    const dash = segments.indexOf('-');
    const path = dash >= 0 ? segments.slice(0, dash) : segments;
    if (path.length < 2) return err('invalid-repo-url', `GitLab repository URL ${url.origin}${url.pathname} names no project`, 'Use https://HOST/GROUP/PROJECT.');
    const repo = path[path.length - 1] as string;
    const owner = path.slice(0, -1).join('/');
    return ok({ provider, host, webBaseUrl, apiBaseUrl: `${webBaseUrl}/api/v4`, owner, repo, fullName: `${owner}/${repo}` });
  }
  return err('unsupported-provider', `Token inspection for ${provider} is not supported yet`, 'GitHub and GitLab tokens can be inspected.');
}
