// GitLab repository URLs → the project a promotion talks to. GitLab projects sit in nested
// groups (gitlab.com/group/sub/project), web URLs may carry a "/-/" page suffix, clone URLs a
// ".git", and self-managed instances may live under a relative URL root (host/gitlab/...).
// Security model: only https (or http to a loopback IP) is accepted, and the result is built
// from the configured instance's origin, never from the URL's credentials or query.

import type { RepoCoordinates } from '../git-provider';

export interface GitLabProjectRef extends RepoCoordinates {
  /** full path, e.g. platform-team/infra/fleet-config */
  path: string;
  /** web URL of the project on the configured instance */
  webUrl: string;
}

const SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/**
 * The project behind `repoUrl` on the GitLab instance at `instanceWebUrl` (origin plus an
 * optional relative root), or null when the URL is on another instance or is no project URL.
 */
export function gitlabProjectFromUrl(instanceWebUrl: string, repoUrl: string): GitLabProjectRef | null {
  let base: URL;
  let u: URL;
  try {
    base = new URL(instanceWebUrl);
    u = new URL(repoUrl);
  } catch {
    return null;
  }
  if (u.username || u.password) return null;
  const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/.test(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return null;
  if (u.origin !== base.origin) return null;
  const root = base.pathname.replace(/\/+$/, '');
  if (root && !(u.pathname === root || u.pathname.startsWith(`${root}/`))) return null;
  let parts = u.pathname.slice(root.length).split('/').filter((p) => p !== '');
  const dash = parts.indexOf('-');
  if (dash >= 0) parts = parts.slice(0, dash);
  if (parts.length > 0) parts[parts.length - 1] = (parts[parts.length - 1] as string).replace(/\.git$/, '');
  if (parts.length < 2 || parts.length > 20 || !parts.every((p) => SEGMENT.test(p) && !p.endsWith('.') && !p.endsWith('.git'))) return null;
  const name = parts[parts.length - 1] as string;
  const owner = parts.slice(0, -1).join('/');
  const path = `${owner}/${name}`;
  return { owner, name, path, webUrl: `${base.origin}${root}/${path}` };
}
