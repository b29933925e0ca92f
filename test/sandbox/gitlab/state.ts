// GitLab forge state: users (people and project/group bots), access tokens, OAuth
// applications, projects in nested groups, merge requests, pipelines and approvals.
// Repositories reuse the GitHub forge's git model (ForgeState + ObjectStore): a project is a
// ForgeState repo whose owner is its namespace path, so commits hash like git and branch
// moves go out as the same CommitEvent stream the Flux simulator already listens to.
import { createHash } from 'node:crypto';
import { systemNow, type Now } from '../clock.js';
import { ForgeState, type CommitListener, type RepoState } from '../forge/state.js';
import type { GitLabPipelineStatus, GitLabTokenKind, SeedGitLab, SeedGitLabOAuthApp } from '../seeds/types.js';

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  email: string;
  bot: boolean;
  createdAt: string;
}

export interface GitLabToken {
  id: number;
  value: string;
  /** personal/project/group access tokens, or an OAuth access token */
  kind: GitLabTokenKind | 'oauth';
  name: string;
  username: string;
  scopes: string[];
  /** PATs: 'YYYY-MM-DD' or null; OAuth tokens: ISO time */
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  revoked: boolean;
  resource?: string;
  accessLevel: number;
  clientId?: string;
}

export interface OAuthRefresh {
  value: string;
  clientId: string;
  username: string;
  scopes: string[];
  accessToken: string;
  revoked: boolean;
}

export interface ProjectState {
  id: number;
  path: string; // full path
  name: string;
  namespace: string; // group path
  repo: RepoState;
  approvalsRequired: number;
  onlyAllowMergeIfPipelineSucceeds: boolean;
  members: string[] | undefined;
  nextMrIid: number;
  nextPipelineIid: number;
  createdAt: string;
}

export interface MergeRequestState {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  sourceBranch: string;
  targetBranch: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  mergedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  mergeCommitSha: string | null;
  /** head/base frozen at merge/close, or when the source branch disappears */
  frozenHeadSha: string | null;
  frozenBaseSha: string | null;
  approvedBy: string[];
  draft: boolean;
  /** "Delete source branch when merge request is accepted" (remove_source_branch on create) */
  removeSourceBranch: boolean;
}

export interface PipelineState {
  id: number;
  iid: number;
  projectId: number;
  sha: string;
  ref: string;
  status: GitLabPipelineStatus;
  source: string;
  createdAt: string;
  updatedAt: string;
  user: string;
}

export function gitlabTokenValue(label: string): string {
  // glpat- + 20 characters, like GitLab's personal/project/group tokens
  return `glpat-${createHash('sha256').update(`gitlab:${label}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 20)}`;
}

/** Bot usernames GitLab gives project and group access token users. */
export function botUsername(kind: 'project' | 'group', resourceId: number, seed: string): string {
  return `${kind}_${resourceId}_bot_${createHash('md5').update(seed).digest('hex')}`;
}

/** 'YYYY-MM-DD' dates expire at the start of that day (UTC). */
export function isExpired(t: GitLabToken, now: number): boolean {
  if (!t.expiresAt) return false;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(t.expiresAt) ? Date.parse(`${t.expiresAt}T00:00:00Z`) : Date.parse(t.expiresAt);
  return at <= now;
}

export class GitLabState {
  readonly git: ForgeState;
  users = new Map<string, GitLabUser>(); // lower-case username
  tokens = new Map<string, GitLabToken>();
  refreshTokens = new Map<string, OAuthRefresh>();
  apps = new Map<string, SeedGitLabOAuthApp>();
  projects = new Map<number, ProjectState>();
  mergeRequests = new Map<number, MergeRequestState[]>(); // by project id
  pipelines = new Map<number, PipelineState[]>(); // by project id
  signInUser = '';
  /** status of the pipeline each push to a non-default branch starts; null = no CI */
  pipelineOnPush: GitLabPipelineStatus | null = null;
  private nextId = 100;
  private readonly unsubscribeGit: () => void;

  constructor(
    private readonly hostName: () => string,
    /** the forge's clock: token expiry, merge request and pipeline times all read it */
    readonly now: Now = systemNow,
  ) {
    // the repositories share the clock, so commits and merge requests agree on the time
    this.git = new ForgeState(hostName, now);
    this.unsubscribeGit = this.git.onCommit((e) => {
      // pushes to a branch start a pipeline (when the sandbox has CI) and touch open MRs
      const project = this.projectByPath(e.repo);
      if (!project) return;
      const deleted = /^0+$/.test(e.after);
      for (const mr of this.mrList(project)) {
        if (mr.state !== 'opened' || mr.sourceBranch !== e.branch) continue;
        // an open MR outlives its source branch, showing the last head; a new push revives it
        mr.frozenHeadSha = deleted ? e.before : null;
        mr.updatedAt = this.git.nowIso();
      }
      if (deleted) return;
      if (this.pipelineOnPush && e.branch !== project.repo.defaultBranch) this.addPipeline(project, e.after, e.branch, this.pipelineOnPush, 'push', this.signInUser);
    });
  }

  newId(): number {
    return ++this.nextId;
  }

  onCommit(listener: CommitListener): () => void {
    return this.git.onCommit(listener);
  }

  dispose(): void {
    this.unsubscribeGit();
  }

  load(seed: SeedGitLab): void {
    this.users.clear();
    this.tokens.clear();
    this.refreshTokens.clear();
    this.apps.clear();
    this.projects.clear();
    this.mergeRequests.clear();
    this.pipelines.clear();
    this.git.users.clear();
    this.git.repos.clear();
    this.git.pulls.clear();
    this.signInUser = seed.signInUser;
    let userId = 1;
    for (const u of seed.users) this.addUser({ id: u.id ?? ++userId, username: u.username, name: u.name, email: u.email ?? `${u.username}@example.com`, bot: u.bot ?? false, createdAt: this.git.seedDate() });
    for (const p of seed.projects) {
      const project = this.createProject(p.path, p.defaultBranch, p.id);
      project.approvalsRequired = p.approvalsRequired ?? 0;
      project.onlyAllowMergeIfPipelineSucceeds = p.onlyAllowMergeIfPipelineSucceeds ?? false;
      project.members = p.members ? [...p.members] : undefined;
      const owner = seed.users[0]?.username ?? 'root';
      const sha = this.git.commitOnto(project.repo, null, p.files, 'Initial commit', owner, this.git.seedDate());
      project.repo.refs.set(`refs/heads/${p.defaultBranch}`, sha);
    }
    for (const t of seed.tokens) {
      this.tokens.set(t.value, {
        id: this.newId(),
        value: t.value,
        kind: t.kind,
        name: t.name,
        username: t.username,
        scopes: [...t.scopes],
        expiresAt: t.expiresAt,
        lastUsedAt: t.lastUsedAt ?? null,
        createdAt: t.createdAt ?? this.git.seedDate(),
        revoked: t.revoked ?? false,
        ...(t.resource ? { resource: t.resource } : {}),
        accessLevel: t.accessLevel ?? 40,
      });
    }
    for (const a of seed.oauthApps) this.apps.set(a.clientId, { ...a, redirectUris: [...a.redirectUris], scopes: [...a.scopes] });
    for (const m of seed.mergeRequests) {
      const project = this.projectByPath(m.project);
      if (!project) throw new Error(`gitlab seed MR: unknown project ${m.project}`);
      const base = project.repo.refs.get(`refs/heads/${m.targetBranch}`);
      if (!base) throw new Error(`gitlab seed MR: unknown target branch ${m.targetBranch} in ${m.project}`);
      const date = m.createdAt ?? this.git.seedDate();
      const sha = this.git.commitOnto(project.repo, base, m.files, m.title, m.author, date);
      project.repo.refs.set(`refs/heads/${m.sourceBranch}`, sha);
      const mr = this.createMergeRequest(project, { title: m.title, description: m.description, sourceBranch: m.sourceBranch, targetBranch: m.targetBranch, author: m.author, createdAt: date });
      mr.approvedBy = [...(m.approvedBy ?? [])];
      if (m.pipeline) this.addPipeline(project, sha, m.sourceBranch, m.pipeline, 'merge_request_event', m.author, date);
    }
  }

  addUser(u: GitLabUser): GitLabUser {
    this.users.set(u.username.toLowerCase(), u);
    // the git layer names commit authors from its own user table
    this.git.addUser({ login: u.username, name: u.name, type: u.bot ? 'Bot' : 'User', id: u.id, email: u.email });
    return u;
  }

  user(username: string): GitLabUser | undefined {
    return this.users.get(username.toLowerCase());
  }

  createProject(path: string, defaultBranch: string, id?: number): ProjectState {
    const parts = path.split('/');
    const name = parts.pop() as string;
    const namespace = parts.join('/');
    const repo = this.git.createRepo(namespace, name, defaultBranch);
    const project: ProjectState = {
      id: id ?? this.newId(),
      path,
      name,
      namespace,
      repo,
      approvalsRequired: 0,
      onlyAllowMergeIfPipelineSucceeds: false,
      members: undefined,
      nextMrIid: 1,
      nextPipelineIid: 1,
      createdAt: this.git.seedDate(),
    };
    this.projects.set(project.id, project);
    this.mergeRequests.set(project.id, []);
    this.pipelines.set(project.id, []);
    return project;
  }

  projectByPath(path: string): ProjectState | undefined {
    const want = path.toLowerCase();
    for (const p of this.projects.values()) if (p.path.toLowerCase() === want) return p;
    return undefined;
  }

  /** `:id` in a URL: a numeric id or the (already decoded) full path. */
  project(idOrPath: string): ProjectState | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    return this.projectByPath(idOrPath);
  }

  mrList(project: ProjectState): MergeRequestState[] {
    return this.mergeRequests.get(project.id) ?? [];
  }

  createMergeRequest(project: ProjectState, m: { title: string; description: string; sourceBranch: string; targetBranch: string; author: string; createdAt?: string; removeSourceBranch?: boolean }): MergeRequestState {
    const created = m.createdAt ?? this.git.nowIso();
    const mr: MergeRequestState = {
      id: this.newId(),
      iid: project.nextMrIid++,
      projectId: project.id,
      title: m.title,
      description: m.description,
      state: 'opened',
      sourceBranch: m.sourceBranch,
      targetBranch: m.targetBranch,
      author: m.author,
      createdAt: created,
      updatedAt: created,
      mergedAt: null,
      mergedBy: null,
      closedAt: null,
      closedBy: null,
      mergeCommitSha: null,
      frozenHeadSha: null,
      frozenBaseSha: null,
      approvedBy: [],
      removeSourceBranch: m.removeSourceBranch ?? false,
      // GitLab treats "Draft:" (and a few older prefixes) in the title as draft
      draft: /^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s)/i.test(m.title),
    };
    this.mrList(project).push(mr);
    return mr;
  }

  headSha(project: ProjectState, mr: MergeRequestState): string | null {
    return mr.frozenHeadSha ?? project.repo.refs.get(`refs/heads/${mr.sourceBranch}`) ?? null;
  }

  baseSha(project: ProjectState, mr: MergeRequestState): string | null {
    return mr.frozenBaseSha ?? project.repo.refs.get(`refs/heads/${mr.targetBranch}`) ?? null;
  }

  addPipeline(project: ProjectState, sha: string, ref: string, status: GitLabPipelineStatus, source: string, user: string, at: string = this.git.nowIso()): PipelineState {
    const p: PipelineState = { id: this.newId(), iid: project.nextPipelineIid++, projectId: project.id, sha, ref, status, source, createdAt: at, updatedAt: at, user };
    this.pipelines.get(project.id)?.push(p);
    return p;
  }

  /** Newest pipeline for a commit: what GitLab shows as an MR's head pipeline. */
  headPipeline(project: ProjectState, sha: string | null): PipelineState | undefined {
    if (!sha) return undefined;
    const list = (this.pipelines.get(project.id) ?? []).filter((p) => p.sha === sha);
    return list[list.length - 1];
  }

  /** GitLab's merge commit ("Merge branch 'x' into 'y'") on the target branch; null on conflict. */
  merge(project: ProjectState, mr: MergeRequestState, by: string, options: { message?: string; squash?: boolean; removeSourceBranch?: boolean }): string | null {
    const head = project.repo.refs.get(`refs/heads/${mr.sourceBranch}`);
    const base = project.repo.refs.get(`refs/heads/${mr.targetBranch}`);
    if (!head || !base) return null;
    const merged = this.git.mergeTrees(project.repo, base, head);
    if (!merged) return null;
    const who = this.git.identity(by);
    let sha: string;
    if (options.squash) {
      sha = project.repo.objects.writeCommit({ tree: merged.tree, parents: [base], author: this.git.identity(mr.author), committer: who, message: mr.title });
      const message = options.message ?? `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request ${project.path}!${mr.iid}`;
      sha = project.repo.objects.writeCommit({ tree: merged.tree, parents: [base, sha], author: who, committer: who, message });
    } else {
      const message = options.message ?? `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'\n\n${mr.title}\n\nSee merge request ${project.path}!${mr.iid}`;
      sha = project.repo.objects.writeCommit({ tree: merged.tree, parents: [base, head], author: who, committer: who, message });
    }
    const when = this.git.nowIso();
    mr.frozenHeadSha = head;
    mr.frozenBaseSha = base;
    mr.state = 'merged';
    mr.mergedAt = when;
    mr.mergedBy = by;
    mr.updatedAt = when;
    mr.mergeCommitSha = sha;
    this.git.setRef(project.repo, `refs/heads/${mr.targetBranch}`, sha);
    if (options.removeSourceBranch) this.git.setRef(project.repo, `refs/heads/${mr.sourceBranch}`, null);
    return sha;
  }
}
