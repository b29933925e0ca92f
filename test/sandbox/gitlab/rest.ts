// GitLab REST v4 routes of the sandbox (mounted under /api/v4): user, the token's own
// record, projects by id or URL-encoded full path, repository tree/files/archive, branches,
// multi-action commits, merge requests (create/list/get/update/merge), approvals and head
// pipelines, with GitLab's JSON shapes, status codes and error bodies.
import { createHash } from 'node:crypto';
import { lineDiffStats, type FlatTree } from '../forge/git-objects.js';
import { writeTarGz, type TarEntry } from '../forge/tar.js';
import { GitLabError, Router, apiError, boolParam, forbidden, notFound, paginate, paramError, params, requireParams, strParam, type Ctx, type Reply } from './http.js';
import { addTokenRoutes } from './rest-tokens.js';
import type { GitLabUser, MergeRequestState, PipelineState, ProjectState } from './state.js';

const READ_SCOPES = ['api', 'read_api'];
const WRITE_SCOPES = ['api'];
const REPO_READ_SCOPES = ['api', 'read_api', 'read_repository'];

function ok(json: unknown, status = 200, headers?: Record<string, string>): Reply {
  return headers ? { status, json, headers } : { status, json };
}

export function avatarUrl(ctx: Pick<Ctx, 'baseUrl'>, username: string): string {
  return `${ctx.baseUrl}/uploads/-/system/user/avatar/${encodeURIComponent(username)}/avatar.svg`;
}

export function userBasic(ctx: Pick<Ctx, 'baseUrl'>, u: GitLabUser | undefined, fallback = 'ghost'): Record<string, unknown> {
  const username = u?.username ?? fallback;
  return { id: u?.id ?? 0, username, name: u?.name ?? username, state: 'active', locked: false, avatar_url: avatarUrl(ctx, username), web_url: `${ctx.baseUrl}/${username}` };
}

export function userFull(ctx: Pick<Ctx, 'baseUrl' | 'state'>, u: GitLabUser): Record<string, unknown> {
  return {
    ...userBasic(ctx, u),
    created_at: u.createdAt,
    bio: '',
    location: '',
    public_email: null,
    linkedin: '',
    twitter: '',
    discord: '',
    website_url: '',
    organization: '',
    job_title: '',
    pronouns: null,
    bot: u.bot,
    work_information: null,
    local_time: null,
    last_sign_in_at: u.bot ? null : u.createdAt,
    confirmed_at: u.createdAt,
    last_activity_on: ctx.state.git.nowIso().slice(0, 10),
    email: u.email,
    theme_id: 3,
    color_scheme_id: 1,
    projects_limit: u.bot ? 0 : 100000,
    current_sign_in_at: u.bot ? null : u.createdAt,
    identities: [],
    can_create_group: !u.bot,
    can_create_project: !u.bot,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: u.email,
    // GitLab adds is_admin to /user only for administrators
    ...(u.admin ? { is_admin: true } : {}),
  };
}

function requireAuth(ctx: Ctx): GitLabUser {
  if (!ctx.token || !ctx.user) throw apiError(401, '401 Unauthorized');
  return ctx.user;
}

function requireScopes(ctx: Ctx, accepted: string[]): void {
  const t = ctx.token;
  if (!t) return;
  if (!t.scopes.some((s) => accepted.includes(s))) {
    throw new GitLabError(
      403,
      { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: accepted.join(' ') },
      {
        'www-authenticate': `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="${accepted.join(' ')}"`,
      },
    );
  }
}

/** The caller's role in a project (0 = no access). Project/group tokens only reach their own resource. */
function accessLevel(ctx: Ctx, project: ProjectState): number {
  const t = ctx.token;
  const u = ctx.user;
  if (!t || !u) return 0;
  if (t.kind === 'project') return t.resource?.toLowerCase() === project.path.toLowerCase() ? t.accessLevel : 0;
  if (t.kind === 'group') {
    const g = (t.resource ?? '').toLowerCase();
    return project.path.toLowerCase().startsWith(`${g}/`) ? t.accessLevel : 0;
  }
  if (project.members && !project.members.some((m) => m.toLowerCase() === u.username.toLowerCase())) return 0;
  return project.members ? 40 : 30;
}

/**
 * Private projects (every sandbox project is one): anyone without access gets the same 404 as
 * for a missing one — an anonymous caller too, as GitLab answers (a bad token is still a 401).
 */
function projectFor(ctx: Ctx, scopes = READ_SCOPES): ProjectState {
  if (!ctx.token) throw notFound('Project');
  requireAuth(ctx);
  const project = ctx.state.project(ctx.params.id ?? '');
  if (!project || accessLevel(ctx, project) === 0) throw notFound('Project');
  requireScopes(ctx, scopes);
  return project;
}

function writableProject(ctx: Ctx): ProjectState {
  const project = projectFor(ctx, WRITE_SCOPES);
  if (accessLevel(ctx, project) < 30) throw forbidden();
  return project;
}

function projectWebUrl(ctx: Ctx, p: ProjectState): string {
  return `${ctx.baseUrl}/${p.path}`;
}

function titleCase(segment: string): string {
  return segment.replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

export function projectJson(ctx: Ctx, p: ProjectState): Record<string, unknown> {
  const nsParts = p.namespace.split('/');
  const level = accessLevel(ctx, p);
  return {
    id: p.id,
    description: null,
    name: p.name,
    name_with_namespace: [...nsParts.map(titleCase), p.name].join(' / '),
    path: p.name,
    path_with_namespace: p.path,
    created_at: p.createdAt,
    default_branch: p.repo.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${new URL(ctx.baseUrl).hostname}:${p.path}.git`,
    http_url_to_repo: `${projectWebUrl(ctx, p)}.git`,
    web_url: projectWebUrl(ctx, p),
    readme_url: null,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: ctx.state.git.nowIso(),
    namespace: {
      id: 1000 + nsParts.length,
      name: titleCase(nsParts[nsParts.length - 1] ?? ''),
      path: nsParts[nsParts.length - 1] ?? '',
      kind: 'group',
      full_path: p.namespace,
      parent_id: nsParts.length > 1 ? 1000 + nsParts.length - 1 : null,
      avatar_url: null,
      web_url: `${ctx.baseUrl}/groups/${p.namespace}`,
    },
    visibility: 'private',
    empty_repo: p.repo.refs.size === 0,
    archived: false,
    merge_method: 'merge',
    squash_option: 'default_off',
    only_allow_merge_if_pipeline_succeeds: p.onlyAllowMergeIfPipelineSucceeds,
    remove_source_branch_after_merge: true,
    approvals_before_merge: requiredApprovals(p),
    permissions: {
      project_access: level > 0 && ctx.token?.kind === 'personal' ? { access_level: level, notification_level: 3 } : null,
      group_access: ctx.token?.kind === 'group' ? { access_level: level, notification_level: 3 } : null,
    },
  };
}

function resolveRef(ctx: Ctx, project: ProjectState, ref: string | undefined): string | undefined {
  return ctx.state.git.resolve(project.repo, ref ?? project.repo.defaultBranch);
}

export function commitJson(ctx: Ctx, project: ProjectState, sha: string, withStats = false): Record<string, unknown> {
  const c = project.repo.objects.commit(sha);
  if (!c) throw notFound('Commit');
  const [title = ''] = c.message.split('\n');
  const out: Record<string, unknown> = {
    id: sha,
    short_id: sha.slice(0, 8),
    created_at: c.committer.date,
    parent_ids: [...c.parents],
    title,
    message: c.message,
    author_name: c.author.name,
    author_email: c.author.email,
    authored_date: c.author.date,
    committer_name: c.committer.name,
    committer_email: c.committer.email,
    committed_date: c.committer.date,
    trailers: {},
    extended_trailers: {},
    web_url: `${projectWebUrl(ctx, project)}/-/commit/${sha}`,
  };
  if (withStats) {
    let additions = 0;
    let deletions = 0;
    for (const f of ctx.state.git.changedFiles(project.repo, c.parents[0] ?? null, sha)) {
      const s = lineDiffStats(f.before ?? '', f.after ?? '');
      additions += s.additions;
      deletions += s.deletions;
    }
    out.stats = { additions, deletions, total: additions + deletions };
    out.status = null;
    out.project_id = project.id;
    out.last_pipeline = null;
  }
  return out;
}

function branchJson(ctx: Ctx, project: ProjectState, name: string, sha: string): Record<string, unknown> {
  const def = project.repo.refs.get(`refs/heads/${project.repo.defaultBranch}`);
  return {
    name,
    commit: commitJson(ctx, project, sha),
    merged: name !== project.repo.defaultBranch && def !== undefined && project.repo.objects.isAncestor(sha, def),
    protected: name === project.repo.defaultBranch,
    developers_can_push: false,
    developers_can_merge: false,
    can_push: accessLevel(ctx, project) >= 30,
    default: name === project.repo.defaultBranch,
    web_url: `${projectWebUrl(ctx, project)}/-/tree/${name}`,
  };
}

const PIPELINE_LABELS: Record<string, { icon: string; text: string; label: string; group: string }> = {
  success: { icon: 'status_success', text: 'Passed', label: 'passed', group: 'success' },
  failed: { icon: 'status_failed', text: 'Failed', label: 'failed', group: 'failed' },
  running: { icon: 'status_running', text: 'Running', label: 'running', group: 'running' },
  pending: { icon: 'status_pending', text: 'Pending', label: 'pending', group: 'pending' },
  canceled: { icon: 'status_canceled', text: 'Canceled', label: 'canceled', group: 'canceled' },
  skipped: { icon: 'status_skipped', text: 'Skipped', label: 'skipped', group: 'skipped' },
  manual: { icon: 'status_manual', text: 'Manual', label: 'manual action', group: 'manual' },
  created: { icon: 'status_created', text: 'Created', label: 'created', group: 'created' },
};

/** A pipeline as GitLab lists it (the "basic" pipeline of list endpoints). */
function pipelineBasicJson(ctx: Ctx, project: ProjectState, p: PipelineState): Record<string, unknown> {
  return {
    id: p.id,
    iid: p.iid,
    project_id: project.id,
    sha: p.sha,
    ref: p.ref,
    status: p.status,
    source: p.source,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    web_url: `${projectWebUrl(ctx, project)}/-/pipelines/${p.id}`,
  };
}

/** A pipeline in full, as a single merge request carries it in head_pipeline (and pipeline). */
export function pipelineJson(ctx: Ctx, project: ProjectState, p: PipelineState): Record<string, unknown> {
  const label = PIPELINE_LABELS[p.status] ?? { icon: `status_${p.status}`, text: p.status, label: p.status, group: p.status };
  const webUrl = `${projectWebUrl(ctx, project)}/-/pipelines/${p.id}`;
  const finished = ['success', 'failed', 'canceled', 'skipped'].includes(p.status);
  return {
    ...pipelineBasicJson(ctx, project, p),
    before_sha: '0000000000000000000000000000000000000000',
    tag: false,
    yaml_errors: null,
    user: userBasic(ctx, ctx.state.user(p.user), p.user),
    started_at: p.status === 'created' || p.status === 'pending' ? null : p.createdAt,
    finished_at: finished ? p.updatedAt : null,
    committed_at: null,
    duration: finished ? 42 : null,
    queued_duration: 1,
    coverage: null,
    detailed_status: {
      ...label,
      tooltip: label.label,
      has_details: true,
      details_path: webUrl.slice(ctx.baseUrl.length),
      illustration: null,
      favicon: `/assets/ci_favicons/favicon_${label.icon}.png`,
    },
  };
}

/** GitLab sums the approvals each rule still needs. */
function approvalsLeft(ctx: Ctx, project: ProjectState, mr: MergeRequestState): number {
  return ctx.state.approvalState(project, mr).reduce((n, r) => n + r.left, 0);
}

function requiredApprovals(project: ProjectState): number {
  return project.approvalRules.reduce((n, r) => n + r.approvalsRequired, 0);
}

/** GitLab's detailed_merge_status, in the order GitLab checks. */
function detailedMergeStatus(ctx: Ctx, project: ProjectState, mr: MergeRequestState): string {
  if (mr.state !== 'opened') return 'not_open';
  // GitLab's asynchronous work first: the new MR's diff, then the mergeability check
  const at = ctx.state.nowMs();
  if (at < mr.preparingUntil) return 'preparing';
  if (at < mr.checkingUntil) return 'checking';
  if (mr.draft) return 'draft_status';
  const head = project.repo.refs.get(`refs/heads/${mr.sourceBranch}`);
  const base = project.repo.refs.get(`refs/heads/${mr.targetBranch}`);
  if (!head || !base) return 'broken_status';
  if (ctx.state.git.mergeTrees(project.repo, base, head) === null) return 'conflict';
  if (project.onlyAllowMergeIfPipelineSucceeds) {
    const p = ctx.state.headPipeline(project, head);
    if (!p || p.status === 'failed' || p.status === 'canceled') return 'ci_must_pass';
    if (p.status !== 'success' && p.status !== 'skipped') return 'ci_still_running';
  }
  if (approvalsLeft(ctx, project, mr) > 0) return 'not_approved';
  return 'mergeable';
}

export function mergeRequestJson(ctx: Ctx, project: ProjectState, mr: MergeRequestState, single = false): Record<string, unknown> {
  const head = ctx.state.headSha(project, mr);
  const detailed = detailedMergeStatus(ctx, project, mr);
  const ref = `!${mr.iid}`;
  const out: Record<string, unknown> = {
    id: mr.id,
    iid: mr.iid,
    project_id: project.id,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    merged_by: mr.mergedBy ? userBasic(ctx, ctx.state.user(mr.mergedBy), mr.mergedBy) : null,
    merge_user: mr.mergedBy ? userBasic(ctx, ctx.state.user(mr.mergedBy), mr.mergedBy) : null,
    merged_at: mr.mergedAt,
    closed_by: mr.closedBy ? userBasic(ctx, ctx.state.user(mr.closedBy), mr.closedBy) : null,
    closed_at: mr.closedAt,
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    user_notes_count: 0,
    upvotes: 0,
    downvotes: 0,
    author: userBasic(ctx, ctx.state.user(mr.author), mr.author),
    assignees: [],
    assignee: null,
    reviewers: [],
    source_project_id: project.id,
    target_project_id: project.id,
    labels: [...mr.labels],
    draft: mr.draft,
    work_in_progress: mr.draft,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status:
      detailed === 'mergeable' || detailed === 'not_approved' || detailed.startsWith('ci_')
        ? 'can_be_merged'
        : detailed === 'conflict'
          ? 'cannot_be_merged'
          : mr.state === 'opened'
            ? 'unchecked'
            : 'can_be_merged',
    detailed_merge_status: detailed,
    sha: head,
    merge_commit_sha: mr.mergeCommitSha,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: mr.removeSourceBranch,
    prepared_at: mr.createdAt,
    reference: ref,
    references: { short: ref, relative: ref, full: `${project.path}${ref}` },
    web_url: `${projectWebUrl(ctx, project)}/-/merge_requests/${mr.iid}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    squash: false,
    squash_on_merge: false,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: detailed === 'conflict',
    blocking_discussions_resolved: true,
    approvals_before_merge: null,
  };
  if (single) {
    const pipeline = ctx.state.headPipeline(project, head);
    const pj = pipeline ? pipelineJson(ctx, project, pipeline) : null;
    const base = ctx.state.baseSha(project, mr);
    const start = head && base ? (project.repo.objects.mergeBase(base, head) ?? base) : base;
    Object.assign(out, {
      subscribed: true,
      changes_count: head && base ? String(ctx.state.git.changedFiles(project.repo, start ?? null, head).length) : '0',
      latest_build_started_at: pj ? pj.started_at : null,
      latest_build_finished_at: pj ? pj.finished_at : null,
      first_deployed_to_production_at: null,
      pipeline: pj
        ? {
            id: pj.id,
            iid: pj.iid,
            project_id: pj.project_id,
            sha: pj.sha,
            ref: pj.ref,
            status: pj.status,
            source: pj.source,
            created_at: pj.created_at,
            updated_at: pj.updated_at,
            web_url: pj.web_url,
          }
        : null,
      head_pipeline: pj,
      diff_refs: head && base ? { base_sha: start, head_sha: head, start_sha: base } : null,
      merge_error: null,
      first_contribution: false,
      user: { can_merge: accessLevel(ctx, project) >= 30 },
      approvals_before_merge: requiredApprovals(project) || null,
    });
  }
  return out;
}

function mrFor(ctx: Ctx, project: ProjectState): MergeRequestState {
  const iid = Number(ctx.params.iid);
  const mr = ctx.state.mrList(project).find((m) => m.iid === iid);
  if (!mr) throw notFound();
  return mr;
}

function flatAt(ctx: Ctx, project: ProjectState, sha: string): FlatTree {
  return ctx.state.git.flatAt(project.repo, sha);
}

/** `git archive` style tarball: `<project>-<ref>-<sha>/...` with the commit sha in a pax header. */
export function archiveFor(project: ProjectState, sha: string, refName: string, subPath?: string): Buffer {
  const c = project.repo.objects.commit(sha);
  if (!c) throw notFound('Commit');
  const root = `${project.name}-${refName.replace(/\//g, '-')}-${sha}/`;
  const mtime = Math.floor(Date.parse(c.committer.date) / 1000);
  const entries: TarEntry[] = [{ path: root, mtime }];
  const walk = (treeSha: string, prefix: string, rel: string): void => {
    const t = project.repo.objects.tree(treeSha);
    if (!t) return;
    for (const e of t.entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const inside = !subPath || relPath === subPath || relPath.startsWith(`${subPath}/`) || subPath.startsWith(`${relPath}/`);
      if (!inside) continue;
      if (e.type === 'tree') {
        entries.push({ path: `${prefix}${e.name}/`, mtime });
        walk(e.sha, `${prefix}${e.name}/`, relPath);
      } else if (e.type === 'blob') {
        entries.push({ path: `${prefix}${e.name}`, content: project.repo.objects.blob(e.sha)?.content ?? Buffer.alloc(0), mode: e.mode === '100755' ? 0o775 : 0o664, mtime });
      }
    }
  };
  walk(c.tree, root, '');
  return writeTarGz(entries, sha);
}

interface CommitAction {
  action: string;
  file_path: string;
  previous_path?: string;
  content?: string;
  encoding?: string;
}

function parseActions(raw: unknown): CommitAction[] {
  if (!Array.isArray(raw)) throw paramError('actions is invalid');
  return raw.map((a, i) => {
    if (!a || typeof a !== 'object') throw paramError(`actions[${i}][action] is missing, actions[${i}][file_path] is missing`);
    const o = a as Record<string, unknown>;
    const missing = ['action', 'file_path'].filter((k) => typeof o[k] !== 'string' || o[k] === '');
    if (missing.length > 0) throw paramError(missing.map((k) => `actions[${i}][${k}] is missing`).join(', '));
    if (!['create', 'update', 'delete', 'move', 'chmod'].includes(o.action as string)) throw paramError(`actions[${i}][action] does not have a valid value`);
    return {
      action: o.action as string,
      file_path: (o.file_path as string).replace(/^\/+/, ''),
      ...(typeof o.previous_path === 'string' ? { previous_path: o.previous_path } : {}),
      ...(typeof o.content === 'string' ? { content: o.content } : {}),
      ...(typeof o.encoding === 'string' ? { encoding: o.encoding } : {}),
    };
  });
}

export function buildRestRouter(): Router {
  const r = new Router();

  r.add('GET', '/user', (ctx) => {
    const u = requireAuth(ctx);
    requireScopes(ctx, ['api', 'read_api', 'read_user']);
    return ok(userFull(ctx, u));
  });

  r.add('GET', '/users/:id', (ctx) => {
    requireAuth(ctx);
    const u = ctx.state.userById(Number(ctx.params.id));
    if (!u) throw notFound('User');
    return ok({ ...userBasic(ctx, u), bot: u.bot, created_at: u.createdAt });
  });

  addTokenRoutes(r);

  r.add('GET', '/projects/:id', (ctx) => ok(projectJson(ctx, projectFor(ctx))));

  r.add('GET', '/projects/:id/repository/tree', (ctx) => {
    const project = projectFor(ctx, REPO_READ_SCOPES);
    const sha = resolveRef(ctx, project, ctx.query.get('ref') ?? undefined);
    if (!sha) throw notFound('Tree');
    const c = project.repo.objects.commit(sha);
    if (!c) throw notFound('Tree');
    const base = (ctx.query.get('path') ?? '').replace(/^\/+|\/+$/g, '');
    const start = project.repo.objects.lookup(c.tree, base);
    if (!start || start.type !== 'tree') throw notFound('Tree');
    const recursive = ctx.query.get('recursive') === 'true';
    const items: Record<string, unknown>[] = [];
    const walk = (treeSha: string, prefix: string): void => {
      const t = project.repo.objects.tree(treeSha);
      if (!t) return;
      // GitLab lists a level's trees before its blobs
      const ordered = [...t.entries.filter((e) => e.type === 'tree'), ...t.entries.filter((e) => e.type !== 'tree')];
      for (const e of ordered) {
        const path = prefix ? `${prefix}/${e.name}` : e.name;
        items.push({ id: e.sha, name: e.name, type: e.type, path, mode: e.mode });
        if (recursive && e.type === 'tree') walk(e.sha, path);
      }
    };
    walk(start.sha, base);
    const { page, headers } = paginate(ctx, items);
    return ok(page, 200, headers);
  });

  const fileAt = (ctx: Ctx, project: ProjectState, ref: string | undefined): { sha: string; blobSha: string; content: Buffer; path: string } => {
    const sha = resolveRef(ctx, project, ref);
    if (!sha) throw notFound('File');
    const path = ctx.params.file_path ?? '';
    const c = project.repo.objects.commit(sha);
    const e = c ? project.repo.objects.lookup(c.tree, path) : undefined;
    if (!e || e.type !== 'blob') throw notFound('File');
    return { sha, blobSha: e.sha, content: project.repo.objects.blob(e.sha)?.content ?? Buffer.alloc(0), path };
  };

  const lastCommitFor = (project: ProjectState, tip: string, path: string): string => {
    // walk first parents until the blob at `path` changes
    let cur = tip;
    const blobAt = (s: string): string | undefined => {
      const c = project.repo.objects.commit(s);
      return c ? project.repo.objects.lookup(c.tree, path)?.sha : undefined;
    };
    const mine = blobAt(tip);
    for (;;) {
      const parent = project.repo.objects.commit(cur)?.parents[0];
      if (!parent || blobAt(parent) !== mine) return cur;
      cur = parent;
    }
  };

  r.add('GET', '/projects/:id/repository/files/:file_path/raw', (ctx) => {
    const project = projectFor(ctx, REPO_READ_SCOPES);
    const f = fileAt(ctx, project, ctx.query.get('ref') ?? undefined);
    return {
      status: 200,
      raw: f.content,
      contentType: 'text/plain; charset=utf-8',
      headers: {
        'x-gitlab-blob-id': f.blobSha,
        'x-gitlab-commit-id': f.sha,
        'x-gitlab-file-name': f.path.split('/').pop() ?? f.path,
        'x-gitlab-file-path': f.path,
        'x-gitlab-ref': ctx.query.get('ref') ?? project.repo.defaultBranch,
        'x-gitlab-size': String(f.content.length),
        'x-gitlab-last-commit-id': lastCommitFor(project, f.sha, f.path),
        'x-gitlab-content-sha256': createHash('sha256').update(f.content).digest('hex'),
      },
    };
  });

  r.add('GET', '/projects/:id/repository/files/:file_path', (ctx) => {
    const project = projectFor(ctx, REPO_READ_SCOPES);
    const ref = ctx.query.get('ref');
    if (!ref) throw paramError('ref is missing');
    const f = fileAt(ctx, project, ref);
    return ok({
      file_name: f.path.split('/').pop(),
      file_path: f.path,
      size: f.content.length,
      encoding: 'base64',
      content_sha256: createHash('sha256').update(f.content).digest('hex'),
      ref,
      blob_id: f.blobSha,
      commit_id: f.sha,
      last_commit_id: lastCommitFor(project, f.sha, f.path),
      execute_filemode: false,
      content: f.content.toString('base64'),
    });
  });

  const archive = (ctx: Ctx): Reply => {
    const project = projectFor(ctx, REPO_READ_SCOPES);
    const format = ctx.path.endsWith('.zip') || ctx.path.endsWith('.tar.bz2') || ctx.path.endsWith('.tbz') ? 'other' : 'tar.gz';
    if (format !== 'tar.gz') throw apiError(406, '406 Not Acceptable');
    const refName = ctx.query.get('sha') ?? project.repo.defaultBranch;
    const sha = resolveRef(ctx, project, refName);
    if (!sha) throw notFound('File');
    // gitlab.com's per-user archive limit (ApplicationRateLimiter: project_repositories_archive)
    const wait = ctx.state.takeArchiveDownload(ctx.user?.username ?? 'anonymous');
    if (wait !== null) throw apiError(429, { error: 'This endpoint has been requested too many times. Try again later.' }, { 'retry-after': String(wait) });
    const path = ctx.query.get('path') ?? undefined;
    const body = archiveFor(project, sha, refName, path ? path.replace(/^\/+|\/+$/g, '') : undefined);
    const fileName = `${project.name}-${refName.replace(/\//g, '-')}-${sha}.tar.gz`;
    return { status: 200, raw: body, contentType: 'application/octet-stream', headers: { 'content-disposition': `attachment; filename="${fileName}"`, 'content-transfer-encoding': 'binary' } };
  };
  r.add('GET', '/projects/:id/repository/archive', archive);
  r.add('GET', '/projects/:id/repository/archive.tar.gz', archive);
  r.add('GET', '/projects/:id/repository/archive.zip', archive);

  // --- branches
  r.add('GET', '/projects/:id/repository/branches', (ctx) => {
    const project = projectFor(ctx, REPO_READ_SCOPES);
    const search = ctx.query.get('search');
    const list = [...project.repo.refs]
      .filter(([ref]) => ref.startsWith('refs/heads/'))
      .map(([ref, sha]) => ({ name: ref.slice('refs/heads/'.length), sha }))
      .filter((b) => !search || b.name.includes(search))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const { page, headers } = paginate(ctx, list);
    return ok(
      page.map((b) => branchJson(ctx, project, b.name, b.sha)),
      200,
      headers,
    );
  });
  r.add('GET', '/projects/:id/repository/branches/:branch', (ctx) => {
    const project = projectFor(ctx, REPO_READ_SCOPES);
    const name = ctx.params.branch ?? '';
    const sha = project.repo.refs.get(`refs/heads/${name}`);
    if (!sha) throw notFound('Branch');
    return ok(branchJson(ctx, project, name, sha));
  });
  r.add('POST', '/projects/:id/repository/branches', (ctx) => {
    const project = writableProject(ctx);
    const p = params(ctx);
    requireParams(p, ['branch', 'ref']);
    const name = strParam(p, 'branch') as string;
    const ref = strParam(p, 'ref') as string;
    if (!/^[^\s~^:?*[\\]+$/.test(name) || name.startsWith('-') || name.endsWith('/') || name.includes('..')) throw apiError(400, 'Branch name is invalid');
    if (project.repo.refs.has(`refs/heads/${name}`)) throw apiError(400, 'Branch already exists');
    const sha = ctx.state.git.resolve(project.repo, ref);
    if (!sha) throw apiError(400, 'Invalid reference name: ' + ref);
    ctx.state.git.setRef(project.repo, `refs/heads/${name}`, sha);
    return ok(branchJson(ctx, project, name, sha), 201);
  });
  r.add('DELETE', '/projects/:id/repository/branches/:branch', (ctx) => {
    const project = writableProject(ctx);
    const name = ctx.params.branch ?? '';
    const sha = project.repo.refs.get(`refs/heads/${name}`);
    if (!sha) throw notFound('Branch');
    if (name === project.repo.defaultBranch) throw apiError(400, 'Cannot remove HEAD branch');
    ctx.state.git.setRef(project.repo, `refs/heads/${name}`, null);
    return { status: 204 };
  });

  // --- commits
  r.add('GET', '/projects/:id/repository/commits/:sha', (ctx) => {
    const project = projectFor(ctx, REPO_READ_SCOPES);
    const sha = ctx.state.git.resolve(project.repo, ctx.params.sha ?? '');
    if (!sha) throw notFound('Commit');
    return ok(commitJson(ctx, project, sha, true));
  });

  r.add('POST', '/projects/:id/repository/commits', (ctx) => {
    const project = writableProject(ctx);
    const user = ctx.user as GitLabUser;
    const p = params(ctx);
    requireParams(p, ['branch', 'commit_message', 'actions']);
    const branch = strParam(p, 'branch') as string;
    const message = strParam(p, 'commit_message') as string;
    const startBranch = strParam(p, 'start_branch');
    const startSha = strParam(p, 'start_sha');
    const force = boolParam(p, 'force') ?? false;
    if (startBranch && startSha) throw paramError('start_branch, start_sha are mutually exclusive');
    const actions = parseActions(p.actions);
    const branchRef = `refs/heads/${branch}`;
    const existing = project.repo.refs.get(branchRef);
    // Commits::CreateService's checks, in its order
    let parent: string | undefined;
    if (startSha !== undefined) {
      if (!/^[0-9a-f]{40}$/i.test(startSha)) throw apiError(400, `Invalid start_sha '${startSha}'`);
      parent = project.repo.objects.commit(startSha.toLowerCase()) ? startSha.toLowerCase() : undefined;
      if (!parent) throw apiError(400, `Cannot find start_sha '${startSha}'`);
    } else {
      parent = project.repo.refs.get(`refs/heads/${startBranch ?? branch}`);
      if (!parent) throw apiError(400, 'You can only create or edit files when you are on a branch');
    }
    // a start_sha, or a start_branch other than the branch, means "create the branch" unless force resets it
    const differentBranch = startSha !== undefined || (startBranch !== undefined && startBranch !== branch);
    if (differentBranch && existing && !force) throw apiError(400, `A branch called '${branch}' already exists. Switch to that branch in order to make changes`);
    const flat: FlatTree = new Map(flatAt(ctx, project, parent));
    for (const a of actions) {
      const content = a.content === undefined ? undefined : a.encoding === 'base64' ? Buffer.from(a.content, 'base64') : Buffer.from(a.content, 'utf8');
      const has = flat.has(a.file_path);
      switch (a.action) {
        case 'create':
          if (has) throw apiError(400, 'A file with this name already exists');
          flat.set(a.file_path, { sha: project.repo.objects.writeBlob(content ?? Buffer.alloc(0)), mode: '100644' });
          break;
        case 'update':
          if (!has) throw apiError(400, "A file with this name doesn't exist");
          flat.set(a.file_path, { sha: project.repo.objects.writeBlob(content ?? Buffer.alloc(0)), mode: flat.get(a.file_path)?.mode ?? '100644' });
          break;
        case 'delete':
          if (!has) throw apiError(400, "A file with this name doesn't exist");
          flat.delete(a.file_path);
          break;
        case 'move': {
          const from = a.previous_path ?? '';
          const old = flat.get(from);
          if (!old) throw apiError(400, "A file with this name doesn't exist");
          if (has) throw apiError(400, 'A file with this name already exists');
          flat.delete(from);
          flat.set(a.file_path, content ? { sha: project.repo.objects.writeBlob(content), mode: old.mode } : old);
          break;
        }
        default:
          break;
      }
    }
    const tree = project.repo.objects.buildTree(flat);
    const who = ctx.state.git.identity(user.username);
    const sha = project.repo.objects.writeCommit({ tree, parents: [parent], author: who, committer: who, message });
    ctx.state.git.setRef(project.repo, branchRef, sha);
    return ok(commitJson(ctx, project, sha, true), 201);
  });

  /** GitLab takes labels as one comma-separated string. */
  const labelList = (value: string | undefined): string[] => [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    ),
  ];

  // --- merge requests
  r.add('GET', '/projects/:id/merge_requests', (ctx) => {
    const project = projectFor(ctx);
    const q = ctx.query;
    const state = q.get('state') ?? 'all';
    const validStates = ['opened', 'closed', 'locked', 'merged', 'all'];
    if (!validStates.includes(state)) throw paramError('state does not have a valid value');
    let list = ctx.state.mrList(project).filter((m) => state === 'all' || m.state === state);
    const source = q.get('source_branch');
    if (source) list = list.filter((m) => m.sourceBranch === source);
    const target = q.get('target_branch');
    if (target) list = list.filter((m) => m.targetBranch === target);
    const author = q.get('author_username');
    if (author) list = list.filter((m) => m.author.toLowerCase() === author.toLowerCase());
    const updatedAfter = q.get('updated_after');
    if (updatedAfter) {
      const after = Date.parse(updatedAfter);
      if (Number.isNaN(after)) throw paramError('updated_after is invalid');
      list = list.filter((m) => Date.parse(m.updatedAt) >= after);
    }
    const iids = q.getAll('iids[]').map(Number);
    if (iids.length > 0) list = list.filter((m) => iids.includes(m.iid));
    const orderBy = q.get('order_by') === 'updated_at' ? 'updatedAt' : 'createdAt';
    const asc = q.get('sort') === 'asc';
    list = [...list].sort((a, b) => {
      const d = a[orderBy] < b[orderBy] ? -1 : a[orderBy] > b[orderBy] ? 1 : a.iid - b.iid;
      return asc ? d : -d;
    });
    const { page, headers } = paginate(ctx, list);
    return ok(
      page.map((m) => mergeRequestJson(ctx, project, m)),
      200,
      headers,
    );
  });

  r.add('POST', '/projects/:id/merge_requests', (ctx) => {
    const project = writableProject(ctx);
    const user = ctx.user as GitLabUser;
    const p = params(ctx);
    requireParams(p, ['source_branch', 'target_branch', 'title']);
    const source = strParam(p, 'source_branch') as string;
    const target = strParam(p, 'target_branch') as string;
    const errors: string[] = [];
    if (source === target) errors.push("You can't use same project/branch for source and target");
    if (!project.repo.refs.has(`refs/heads/${source}`)) errors.push(`Source branch "${source}" does not exist`);
    if (!project.repo.refs.has(`refs/heads/${target}`)) errors.push(`Target branch "${target}" does not exist`);
    const open = ctx.state.mrList(project).find((m) => m.state === 'opened' && m.sourceBranch === source && m.targetBranch === target);
    if (open) errors.push(`Another open merge request already exists for this source branch: !${open.iid}`);
    if (errors.length > 0) throw apiError(409, errors);
    const mr = ctx.state.createMergeRequest(project, {
      title: strParam(p, 'title') as string,
      description: strParam(p, 'description') ?? '',
      sourceBranch: source,
      targetBranch: target,
      author: user.username,
      removeSourceBranch: boolParam(p, 'remove_source_branch') ?? false,
    });
    mr.labels = labelList(strParam(p, 'labels'));
    return ok(mergeRequestJson(ctx, project, mr, true), 201);
  });

  r.add('GET', '/projects/:id/merge_requests/:iid', (ctx) => {
    const project = projectFor(ctx);
    return ok(mergeRequestJson(ctx, project, mrFor(ctx, project), true));
  });

  r.add('PUT', '/projects/:id/merge_requests/:iid', (ctx) => {
    const project = projectFor(ctx, WRITE_SCOPES);
    const mr = mrFor(ctx, project);
    const user = ctx.user as GitLabUser;
    if (accessLevel(ctx, project) < 30 && mr.author !== user.username) throw forbidden();
    const p = params(ctx);
    const keys = [
      'title',
      'description',
      'target_branch',
      'state_event',
      'remove_source_branch',
      'squash',
      'labels',
      'add_labels',
      'remove_labels',
      'assignee_id',
      'assignee_ids',
      'reviewer_ids',
      'milestone_id',
      'discussion_locked',
      'allow_collaboration',
    ];
    if (!keys.some((k) => p[k] !== undefined)) throw paramError(`${keys.join(', ')} are missing, at least one parameter must be provided`);
    const title = strParam(p, 'title');
    if (title !== undefined) {
      if (title.trim() === '') throw apiError(400, { title: ["can't be blank"] });
      mr.title = title;
      mr.draft = /^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s)/i.test(title);
    }
    const description = strParam(p, 'description');
    if (description !== undefined) mr.description = description;
    const labels = strParam(p, 'labels');
    if (labels !== undefined) mr.labels = labelList(labels);
    for (const l of labelList(strParam(p, 'add_labels'))) if (!mr.labels.includes(l)) mr.labels.push(l);
    const removed = labelList(strParam(p, 'remove_labels'));
    mr.labels = mr.labels.filter((l) => !removed.includes(l));
    const target = strParam(p, 'target_branch');
    if (target !== undefined) {
      if (!project.repo.refs.has(`refs/heads/${target}`)) throw apiError(409, [`Target branch "${target}" does not exist`]);
      mr.targetBranch = target;
    }
    const event = strParam(p, 'state_event');
    if (event === 'close' && mr.state === 'opened') {
      mr.state = 'closed';
      mr.closedAt = ctx.state.git.nowIso();
      mr.closedBy = user.username;
      mr.frozenHeadSha = ctx.state.headSha(project, mr);
    } else if (event === 'reopen' && mr.state === 'closed') {
      const clash = ctx.state.mrList(project).find((m) => m !== mr && m.state === 'opened' && m.sourceBranch === mr.sourceBranch && m.targetBranch === mr.targetBranch);
      if (clash) throw apiError(409, [`Another open merge request already exists for this source branch: !${clash.iid}`]);
      mr.state = 'opened';
      mr.closedAt = null;
      mr.closedBy = null;
      mr.frozenHeadSha = null;
    }
    mr.updatedAt = ctx.state.git.nowIso();
    return ok(mergeRequestJson(ctx, project, mr, true));
  });

  r.add('PUT', '/projects/:id/merge_requests/:iid/merge', (ctx) => {
    const project = projectFor(ctx, WRITE_SCOPES);
    const mr = mrFor(ctx, project);
    const user = ctx.user as GitLabUser;
    if (accessLevel(ctx, project) < 30) throw apiError(401, '401 Unauthorized');
    const p = params(ctx);
    const status = detailedMergeStatus(ctx, project, mr);
    // GitLab answers 405 for every "cannot be accepted now" reason, conflicts included
    if (status !== 'mergeable') throw apiError(405, '405 Method Not Allowed');
    const head = ctx.state.headSha(project, mr);
    const sha = strParam(p, 'sha');
    if (sha !== undefined && sha !== head) throw apiError(409, `SHA does not match HEAD of source branch: ${head ?? ''}`);
    const message = strParam(p, 'merge_commit_message');
    const merged = ctx.state.merge(project, mr, user.username, {
      ...(message ? { message } : {}),
      squash: boolParam(p, 'squash') ?? false,
      removeSourceBranch: boolParam(p, 'should_remove_source_branch') ?? mr.removeSourceBranch,
    });
    if (!merged) throw apiError(422, 'Branch cannot be merged');
    return ok(mergeRequestJson(ctx, project, mr, true));
  });

  const approvalsJson = (ctx: Ctx, project: ProjectState, mr: MergeRequestState): Record<string, unknown> => {
    const rules = ctx.state.approvalState(project, mr);
    const left = rules.reduce((n, r) => n + r.left, 0);
    const premium = project.tier === 'premium';
    const me = ctx.user?.username;
    // GitLab's approvals answer repeats these fields of the merge request itself.
    const { id, iid, project_id, title, description, state, created_at, updated_at, merge_status } = mergeRequestJson(ctx, project, mr);
    return {
      id,
      iid,
      project_id,
      title,
      description,
      state,
      created_at,
      updated_at,
      merge_status,
      approved: left === 0,
      approvals_required: requiredApprovals(project),
      approvals_left: left,
      require_password_to_approve: false,
      approved_by: mr.approvedBy.map((u) => ({ user: userBasic(ctx, ctx.state.user(u), u) })),
      suggested_approvers: [],
      approvers: [],
      approver_groups: [],
      user_has_approved: me ? mr.approvedBy.includes(me) : false,
      user_can_approve: me ? me !== mr.author && !mr.approvedBy.includes(me) && mr.state === 'opened' : false,
      approval_rules_left: rules.filter((r) => r.left > 0).map((r, i) => ({ id: project.id * 100 + i, name: r.rule.name, rule_type: r.rule.eligible ? 'regular' : 'any_approver' })),
      has_approval_rules: rules.length > 0,
      merge_request_approvers_available: premium,
      multiple_approval_rules_available: premium,
      invalid_approvers_rules: [],
    };
  };

  r.add('GET', '/projects/:id/merge_requests/:iid/approvals', (ctx) => {
    const project = projectFor(ctx);
    return ok(approvalsJson(ctx, project, mrFor(ctx, project)));
  });

  r.add('POST', '/projects/:id/merge_requests/:iid/approve', (ctx) => {
    const project = projectFor(ctx, WRITE_SCOPES);
    const mr = mrFor(ctx, project);
    const me = (ctx.user as GitLabUser).username;
    // authors may not approve their own MRs by default; approving twice is refused
    if (me === mr.author || mr.approvedBy.includes(me) || mr.state !== 'opened') throw apiError(401, '401 Unauthorized');
    mr.approvedBy.push(me);
    mr.updatedAt = ctx.state.git.nowIso();
    return ok(approvalsJson(ctx, project, mr), 201);
  });

  r.add('GET', '/projects/:id/merge_requests/:iid/pipelines', (ctx) => {
    const project = projectFor(ctx);
    const mr = mrFor(ctx, project);
    const shas = new Set<string>();
    const head = ctx.state.headSha(project, mr);
    const base = ctx.state.baseSha(project, mr);
    if (head && base) for (const s of project.repo.objects.commitsBetween(base, head)) shas.add(s);
    const list = (ctx.state.pipelines.get(project.id) ?? []).filter((p) => shas.has(p.sha)).reverse();
    return ok(list.map((p) => pipelineBasicJson(ctx, project, p)));
  });

  return r;
}
