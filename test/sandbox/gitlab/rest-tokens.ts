// The token-reading routes of the GitLab sandbox: a token's own record (`/self`), a user's
// personal access tokens, project and group access tokens by id, and users by id. These let
// the app read a stored token's last use with the signed-in user's OWN token, which (unlike
// `/personal_access_tokens/self`) does not count as a use of the stored token.
//
// Permissions as GitLab documents them: project access tokens need the Maintainer role on the
// project, group access tokens the Owner role on the group; `/personal_access_tokens[/:id]`
// shows a non-administrator only their own tokens (another user's id answers 404).
import { apiError, forbidden, notFound, paginate, type Ctx, type Reply, type Router } from './http.js';
import type { GitLabToken, GitLabUser } from './state.js';

const READ_SCOPES = ['api', 'read_api'];

function caller(ctx: Ctx): GitLabUser {
  if (!ctx.token || !ctx.user) throw apiError(401, '401 Unauthorized');
  if (!ctx.token.scopes.some((s) => READ_SCOPES.includes(s))) throw apiError(403, '403 Forbidden');
  return ctx.user;
}

/** GitLab's personal/project/group access token JSON (project/group ones add access_level). */
export function accessTokenJson(ctx: Ctx, t: GitLabToken): Record<string, unknown> {
  const user = ctx.state.user(t.username);
  return {
    id: t.id,
    name: t.name,
    revoked: t.revoked,
    created_at: t.createdAt,
    description: null,
    scopes: [...t.scopes],
    user_id: user?.id ?? 0,
    last_used_at: t.lastUsedAt,
    active: !t.revoked && !ctx.state.isTokenExpired(t),
    expires_at: t.expiresAt,
    ...(t.kind === 'project' || t.kind === 'group' ? { access_level: t.accessLevel } : {}),
  };
}

function tokensOf(ctx: Ctx, kind: GitLabToken['kind'], resource?: string): GitLabToken[] {
  return [...ctx.state.tokens.values()].filter((t) => t.kind === kind && (resource === undefined || t.resource?.toLowerCase() === resource.toLowerCase()));
}

function byId(list: GitLabToken[], raw: string | undefined): GitLabToken {
  const t = list.find((x) => String(x.id) === raw);
  if (!t) throw notFound();
  return t;
}

/** Project access tokens: the project must be visible and the caller at least Maintainer. */
function projectTokens(ctx: Ctx): GitLabToken[] {
  const user = caller(ctx);
  const project = ctx.state.project(ctx.params.id ?? '');
  const level = project ? ctx.state.memberLevel(project, user.username) : 0;
  if (!project || level === 0) throw notFound('Project');
  if (level < 40 && !user.admin) throw forbidden();
  return tokensOf(ctx, 'project', project.path);
}

/** Group access tokens: Owner of the group (or an administrator); others who can see the group get 403. */
function groupTokens(ctx: Ctx): GitLabToken[] {
  const user = caller(ctx);
  const group = ctx.params.id ?? '';
  const visible = [...ctx.state.projects.values()].some((p) => p.path.toLowerCase().startsWith(`${group.toLowerCase()}/`) && ctx.state.memberLevel(p, user.username) > 0);
  if (!user.admin && !ctx.state.isGroupOwner(group, user.username)) throw visible ? forbidden() : notFound('Group');
  return tokensOf(ctx, 'group', group);
}

export function addTokenRoutes(r: Router): void {
  r.add('GET', '/personal_access_tokens/self', (ctx): Reply => {
    caller(ctx);
    const t = ctx.token;
    if (!t || t.kind === 'oauth') throw notFound();
    return { status: 200, json: accessTokenJson(ctx, t) };
  });

  r.add('GET', '/personal_access_tokens', (ctx): Reply => {
    const user = caller(ctx);
    let list = tokensOf(ctx, 'personal');
    if (!user.admin) list = list.filter((t) => t.username.toLowerCase() === user.username.toLowerCase());
    const userId = ctx.query.get('user_id');
    if (userId && user.admin) list = list.filter((t) => String(ctx.state.user(t.username)?.id) === userId);
    const state = ctx.query.get('state');
    if (state === 'active') list = list.filter((t) => !t.revoked && !ctx.state.isTokenExpired(t));
    if (state === 'inactive') list = list.filter((t) => t.revoked || ctx.state.isTokenExpired(t));
    const { page, headers } = paginate(ctx, list);
    return { status: 200, json: page.map((t) => accessTokenJson(ctx, t)), headers };
  });

  r.add('GET', '/personal_access_tokens/:token_id', (ctx): Reply => {
    const user = caller(ctx);
    const t = byId(tokensOf(ctx, 'personal'), ctx.params.token_id);
    if (!user.admin && t.username.toLowerCase() !== user.username.toLowerCase()) throw notFound();
    return { status: 200, json: accessTokenJson(ctx, t) };
  });

  r.add('GET', '/projects/:id/access_tokens', (ctx): Reply => {
    const { page, headers } = paginate(ctx, projectTokens(ctx));
    return { status: 200, json: page.map((t) => accessTokenJson(ctx, t)), headers };
  });
  r.add('GET', '/projects/:id/access_tokens/:token_id', (ctx): Reply => ({ status: 200, json: accessTokenJson(ctx, byId(projectTokens(ctx), ctx.params.token_id)) }));

  r.add('GET', '/groups/:id/access_tokens', (ctx): Reply => {
    const { page, headers } = paginate(ctx, groupTokens(ctx));
    return { status: 200, json: page.map((t) => accessTokenJson(ctx, t)), headers };
  });
  r.add('GET', '/groups/:id/access_tokens/:token_id', (ctx): Reply => ({ status: 200, json: accessTokenJson(ctx, byId(groupTokens(ctx), ctx.params.token_id)) }));
}
