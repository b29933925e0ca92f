// GitLab forge state: users (people and project/group bots), access tokens, OAuth
// applications, projects in nested groups, merge requests, pipelines and approvals.
// Repositories reuse the GitHub forge's git model (ForgeState + ObjectStore): a project is a
// ForgeState repo whose owner is its namespace path, so commits hash like git and branch
// moves go out as the same CommitEvent stream the Flux simulator already listens to.
import { createHash } from 'node:crypto';
import { isoSeconds, systemNow, type Now } from '../clock.js';
import { ForgeState, type CommitListener, type RepoState } from '../forge/state.js';
import type { GitLabPipelineStatus, GitLabTokenKind, SeedGitLab, SeedGitLabOAuthApp } from '../seeds/types.js';

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  email: string;
  bot: boolean;
  /** instance administrator: reads every user's personal access tokens */
  admin: boolean;
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
  /** GitLab Premium approval rules (several may apply); Free has none, so nothing is required. */
  approvalRules: ApprovalRule[];
  tier: 'free' | 'premium';
  onlyAllowMergeIfPipelineSucceeds: boolean;
  members: string[] | undefined;
  nextMrIid: number;
  nextPipelineIid: number;
  createdAt: string;
}

/** One approval rule: how many approvals it needs and from whom (undefined = any eligible member). */
export interface ApprovalRule {
  name: string;
  approvalsRequired: number;
  eligible?: string[];
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
  labels: string[];
  draft: boolean;
  /** "Delete source branch when merge request is accepted" (remove_source_branch on create) */
  removeSourceBranch: boolean;
  /** forge clock (ms) until which GitLab is still preparing the new MR's diff ("preparing") */
  preparingUntil: number;
  /** forge clock (ms) until which GitLab is checking mergeability after a push ("checking") */
  checkingUntil: number;
}

/** How long GitLab's asynchronous work takes in the sandbox (forge clock, ms). */
export interface GitLabTimings {
  /** a new merge request reports `preparing` this long */
  preparingMs: number;
  /** then (and after every push to its branches) `checking` this long */
  checkingMs: number;
  /** a push's pipeline appears this long after the push */
  pipelineDelayMs: number;
}

/** gitlab.com rate-limits repository archive downloads to 5 requests per minute per user. */
export const GITLAB_COM_ARCHIVE_LIMIT = { limit: 5, windowMs: 60_000 };

export const DEFAULT_GITLAB_TIMINGS: GitLabTimings = { preparingMs: 1500, checkingMs: 1000, pipelineDelayMs: 2000 };

interface ScheduledPipeline {
  projectId: number;
  sha: string;
  ref: string;
  status: GitLabPipelineStatus;
  user: string;
  at: number;
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
  /** group full path (lower case) → usernames with the Owner role */
  groupOwners = new Map<string, string[]>();
  timings: GitLabTimings = { ...DEFAULT_GITLAB_TIMINGS };
  /** Archive downloads allowed per user per window (gitlab.com: 5 per minute); null = unlimited. */
  archiveRateLimit: { limit: number; windowMs: number } | null = { ...GITLAB_COM_ARCHIVE_LIMIT };
  private archiveDownloads = new Map<string, number[]>();
  private scheduled: ScheduledPipeline[] = [];
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
      const at = this.nowMs();
      for (const mr of this.mrList(project)) {
        if (mr.state !== 'opened') continue;
        // a push to either branch makes GitLab check mergeability again
        if (mr.sourceBranch === e.branch || mr.targetBranch === e.branch) mr.checkingUntil = Math.max(mr.checkingUntil, at + this.timings.checkingMs);
        if (mr.sourceBranch !== e.branch) continue;
        // an open MR outlives its source branch, showing the last head; a new push revives it
        mr.frozenHeadSha = deleted ? e.before : null;
        mr.updatedAt = this.git.nowIso();
      }
      if (deleted) return;
      // CI picks the push up a moment later, as GitLab's pipeline creation is asynchronous
      if (this.pipelineOnPush && e.branch !== project.repo.defaultBranch) {
        this.scheduled.push({ projectId: project.id, sha: e.after, ref: e.branch, status: this.pipelineOnPush, user: this.signInUser, at: at + this.timings.pipelineDelayMs });
        this.catchUp();
      }
    });
  }

  newId(): number {
    return ++this.nextId;
  }

  /** The forge clock in epoch milliseconds, for the timers and windows below. */
  nowMs(): number {
    return this.now().getTime();
  }

  /** Counts an archive download by `who`; the seconds until one is allowed again when over the limit. */
  takeArchiveDownload(who: string): number | null {
    const rule = this.archiveRateLimit;
    if (!rule) return null;
    const at = this.nowMs();
    const recent = (this.archiveDownloads.get(who) ?? []).filter((t) => t > at - rule.windowMs);
    if (recent.length >= rule.limit) {
      this.archiveDownloads.set(who, recent);
      return Math.max(1, Math.ceil(((recent[0] as number) + rule.windowMs - at) / 1000));
    }
    recent.push(at);
    this.archiveDownloads.set(who, recent);
    return null;
  }

  /** Creates the pipelines whose time has come on the forge clock (called before every request). */
  catchUp(): void {
    const at = this.nowMs();
    const due = this.scheduled.filter((p) => p.at <= at);
    if (due.length === 0) return;
    this.scheduled = this.scheduled.filter((p) => p.at > at);
    for (const p of due) {
      const project = this.projects.get(p.projectId);
      if (project) this.addPipeline(project, p.sha, p.ref, p.status, 'push', p.user, isoSeconds(new Date(p.at)));
    }
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
    this.scheduled = [];
    this.archiveDownloads.clear();
    this.git.users.clear();
    this.git.repos.clear();
    this.git.pulls.clear();
    this.signInUser = seed.signInUser;
    this.groupOwners.clear();
    for (const [group, owners] of Object.entries(seed.groupOwners ?? {})) this.groupOwners.set(group.toLowerCase(), [...owners]);
    let userId = 1;
    for (const u of seed.users)
      this.addUser({
        id: u.id ?? ++userId,
        username: u.username,
        name: u.name,
        email: u.email ?? `${u.username}@example.com`,
        bot: u.bot ?? false,
        admin: u.admin ?? false,
        createdAt: this.git.seedDate(),
      });
    for (const p of seed.projects) {
      const project = this.createProject(p.path, p.defaultBranch, p.id);
      project.tier = p.tier ?? 'premium';
      project.approvalRules = (p.approvalRules ?? (p.approvalsRequired ? [{ name: 'All Members', approvalsRequired: p.approvalsRequired }] : [])).map((r) => ({
        ...r,
        ...(r.eligible ? { eligible: [...r.eligible] } : {}),
      }));
      if (project.tier === 'free' && project.approvalRules.length > 0) throw new Error(`gitlab seed project ${p.path}: approval rules need GitLab Premium`);
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
      if (!m.merged) project.repo.refs.set(`refs/heads/${m.sourceBranch}`, sha);
      const mr = this.createMergeRequest(project, { title: m.title, description: m.description, sourceBranch: m.sourceBranch, targetBranch: m.targetBranch, author: m.author, createdAt: date });
      mr.approvedBy = [...(m.approvedBy ?? [])];
      if (m.pipeline) this.addPipeline(project, sha, m.sourceBranch, m.pipeline, 'merge_request_event', m.author, date);
      if (m.merged) {
        // merged in the past: recorded as merged without moving the target branch, whose files
        // the seed already wrote in their merged state; its source branch is long gone (never created)
        Object.assign(mr, { state: 'merged', mergedAt: m.merged.at, mergedBy: m.merged.by, updatedAt: m.merged.at, mergeCommitSha: sha, frozenHeadSha: sha, frozenBaseSha: base });
      }
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

  userById(id: number): GitLabUser | undefined {
    for (const u of this.users.values()) if (u.id === id) return u;
    return undefined;
  }

  isTokenExpired(t: GitLabToken): boolean {
    return isExpired(t, this.nowMs());
  }

  /** A person's role in a project: Maintainer (40) when listed as a member, Developer (30) in open projects, else 0. */
  memberLevel(project: ProjectState, username: string): number {
    if (!project.members) return 30;
    return project.members.some((m) => m.toLowerCase() === username.toLowerCase()) ? 40 : 0;
  }

  isGroupOwner(group: string, username: string): boolean {
    return (this.groupOwners.get(group.toLowerCase()) ?? []).some((u) => u.toLowerCase() === username.toLowerCase());
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
      approvalRules: [],
      tier: 'premium',
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

  /** Seeded MRs (with createdAt) are long prepared; new ones go through preparing → checking on the forge clock. */
  createMergeRequest(
    project: ProjectState,
    m: { title: string; description: string; sourceBranch: string; targetBranch: string; author: string; createdAt?: string; removeSourceBranch?: boolean },
  ): MergeRequestState {
    const created = m.createdAt ?? this.git.nowIso();
    const preparingUntil = m.createdAt ? 0 : this.nowMs() + this.timings.preparingMs;
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
      labels: [],
      removeSourceBranch: m.removeSourceBranch ?? false,
      preparingUntil,
      checkingUntil: preparingUntil === 0 ? 0 : preparingUntil + this.timings.checkingMs,
      // GitLab treats "Draft:" (and a few older prefixes) in the title as draft
      draft: /^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s)/i.test(m.title),
    };
    this.mrList(project).push(mr);
    return mr;
  }

  /** Each rule with the approvals that count for it (an eligible approver who is not the author). */
  approvalState(project: ProjectState, mr: MergeRequestState): { rule: ApprovalRule; approvedBy: string[]; left: number }[] {
    return project.approvalRules.map((rule) => {
      const approvedBy = mr.approvedBy.filter((u) => !rule.eligible || rule.eligible.some((e) => e.toLowerCase() === u.toLowerCase()));
      return { rule, approvedBy, left: Math.max(rule.approvalsRequired - approvedBy.length, 0) };
    });
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
