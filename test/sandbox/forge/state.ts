// Forge state: users, tokens, OAuth apps, repositories (with a git object store and
// refs) and pull requests, plus the branch-movement event stream that the Flux
// simulator listens to. The HTTP layers only translate between this and GitHub's JSON.
import type { SeedForge, SeedForgeToken, SeedOAuthApp, SeedForgeUser } from '../seeds/types.js';
import { ObjectStore, ZERO_SHA, diffFlat, type FlatTree, type GitIdentity } from './git-objects.js';
import { isoSeconds, seedHistoryDate, systemNow, type Now } from '../clock.js';

export interface ForgeUser {
  login: string;
  id: number;
  name: string;
  type: 'User' | 'Bot';
  email: string | null;
}

export interface ForgeToken extends SeedForgeToken {
  revoked: boolean;
  /** set for tokens minted by the OAuth endpoints */
  clientId?: string;
  refreshToken?: string;
}

export interface RefreshToken {
  value: string;
  clientId: string;
  login: string;
  scopes: string[];
  expiresAt: number; // epoch ms
  accessToken: string;
  used: boolean;
  /** device-flow grants may refresh without the client secret */
  deviceFlow?: boolean;
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  pushers: string[] | undefined;
  /** GitHub answers 404 to anyone who may not read a private repository, signed in or not */
  private: boolean;
  createdAt: string;
  objects: ObjectStore;
  refs: Map<string, string>; // 'refs/heads/main' → commit sha
}

export interface PullState {
  id: number;
  number: number;
  repo: string; // owner/name
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: string; // branch
  base: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** head sha frozen when the PR is closed or merged, or when its branch disappears */
  frozenHeadSha: string | null;
  frozenBaseSha: string | null;
  /** label names (GitHub keeps a PR's labels on its issue) */
  labels: string[];
}

export interface ReviewState {
  id: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  body: string;
  submittedAt: string;
  commitId: string;
}

export interface CheckRunState {
  id: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  startedAt: string;
  completedAt: string | null;
}

export interface CommitStatusState {
  id: number;
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
}

export interface CommitEvent {
  repo: string;
  branch: string;
  before: string;
  after: string;
  changedFiles: { path: string; before: string | null; after: string | null }[];
}

export type CommitListener = (e: CommitEvent) => void;

export class ForgeState {
  users = new Map<string, ForgeUser>();
  tokens = new Map<string, ForgeToken>();
  refreshTokens = new Map<string, RefreshToken>();
  apps = new Map<string, SeedOAuthApp>();
  repos = new Map<string, RepoState>(); // key: lower-case owner/name
  pulls = new Map<string, PullState[]>(); // key: repo full name lower-case
  reviews = new Map<string, ReviewState[]>(); // key: `${repo}#${number}`
  checkRuns = new Map<string, CheckRunState[]>(); // key: `${repo}@${sha}`
  statuses = new Map<string, CommitStatusState[]>(); // key: `${repo}@${sha}`
  signInUser = '';
  private nextId = 5000;
  private readonly listeners = new Set<CommitListener>();

  constructor(
    private readonly hostForEmails: () => string,
    /** the forge's clock: token expiry, commit and pull request times all read it */
    readonly now: Now = systemNow,
  ) {}

  /** The clock's time with whole seconds, as GitHub writes it. */
  nowIso(): string {
    return isoSeconds(this.now());
  }

  /** When seeded history happened (see seedHistoryDate): never in the clock's future. */
  seedDate(): string {
    return seedHistoryDate(this.now());
  }

  newId(): number {
    return ++this.nextId;
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  load(seed: SeedForge): void {
    this.users.clear();
    this.tokens.clear();
    this.refreshTokens.clear();
    this.apps.clear();
    this.repos.clear();
    this.pulls.clear();
    this.reviews.clear();
    this.checkRuns.clear();
    this.statuses.clear();
    this.signInUser = seed.signInUser;
    let userId = 1000;
    for (const u of seed.users) this.addUser(u, ++userId);
    for (const t of seed.tokens) this.tokens.set(t.value, { ...t, scopes: [...t.scopes], revoked: t.revoked ?? false });
    for (const a of seed.oauthApps) this.apps.set(a.clientId, { ...a });
    for (const r of seed.repos) {
      const repo = this.createRepo(r.owner, r.name, r.defaultBranch, r.pushers);
      repo.private = r.private ?? false;
      const owner = this.users.get(r.owner.toLowerCase());
      const who = this.identity(owner?.login ?? r.owner, this.seedDate());
      const flat: FlatTree = new Map();
      for (const [path, content] of Object.entries(r.files)) flat.set(path, { sha: repo.objects.writeBlob(content), mode: '100644' });
      const tree = repo.objects.buildTree(flat);
      const sha = repo.objects.writeCommit({ tree, parents: [], author: who, committer: who, message: 'Initial commit' });
      repo.refs.set(`refs/heads/${r.defaultBranch}`, sha);
    }
    for (const p of seed.pulls) {
      const repo = this.repo(p.repo);
      if (!repo) throw new Error(`seed pull: unknown repo ${p.repo}`);
      const baseSha = repo.refs.get(`refs/heads/${p.base}`);
      if (!baseSha) throw new Error(`seed pull: unknown base ${p.base} in ${p.repo}`);
      const date = p.createdAt ?? this.seedDate();
      const sha = this.commitOnto(repo, baseSha, p.files, p.title, p.author, date);
      if (!p.merged) repo.refs.set(`refs/heads/${p.head}`, sha);
      const pull = this.createPull(repo, { title: p.title, body: p.body, head: p.head, base: p.base, author: p.author, createdAt: date, draft: false });
      for (const rv of p.reviews ?? []) {
        const key = `${repo.fullName.toLowerCase()}#${pull.number}`;
        this.reviews.set(key, [...(this.reviews.get(key) ?? []), { id: this.newId(), user: rv.user, state: rv.state, body: '', submittedAt: rv.at, commitId: sha }]);
      }
      if (p.merged) {
        // merged in the past: recorded as merged without moving the base branch, whose files the
        // seed already wrote in their merged state; its head branch is long gone (never created)
        Object.assign(pull, {
          state: 'closed',
          mergedAt: p.merged.at,
          mergedBy: p.merged.by,
          closedAt: p.merged.at,
          updatedAt: p.merged.at,
          mergeCommitSha: sha,
          frozenHeadSha: sha,
          frozenBaseSha: baseSha,
        });
      }
    }
  }

  addUser(u: SeedForgeUser, fallbackId?: number): ForgeUser {
    const user: ForgeUser = { login: u.login, id: u.id ?? fallbackId ?? this.newId(), name: u.name, type: u.type, email: u.email ?? null };
    this.users.set(u.login.toLowerCase(), user);
    return user;
  }

  user(login: string): ForgeUser | undefined {
    return this.users.get(login.toLowerCase());
  }

  identity(login: string, date: string = this.nowIso()): GitIdentity {
    const u = this.user(login);
    const email = u?.email ?? `${u?.id ?? 0}+${login}@users.noreply.${this.hostForEmails()}`;
    return { name: u?.name || login, email, date };
  }

  createRepo(owner: string, name: string, defaultBranch: string, pushers?: string[], createdAt: string = this.seedDate()): RepoState {
    const repo: RepoState = {
      id: this.newId(),
      owner,
      name,
      fullName: `${owner}/${name}`,
      defaultBranch,
      pushers: pushers ? [...pushers] : undefined,
      private: false,
      createdAt: createdAt ?? this.seedDate(),
      objects: new ObjectStore(),
      refs: new Map(),
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    this.pulls.set(repo.fullName.toLowerCase(), []);
    return repo;
  }

  repo(fullName: string): RepoState | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  /** Commits a set of file changes (null = delete) on top of `parent`; returns the new commit. */
  commitOnto(repo: RepoState, parent: string | null, files: Record<string, string | null>, message: string, login: string, date: string = this.nowIso()): string {
    const base = parent ? repo.objects.commit(parent) : undefined;
    const flat: FlatTree = base ? repo.objects.flatten(base.tree) : new Map();
    for (const [path, content] of Object.entries(files)) {
      if (content === null) flat.delete(path);
      else flat.set(path, { sha: repo.objects.writeBlob(content), mode: flat.get(path)?.mode ?? '100644' });
    }
    const tree = repo.objects.buildTree(flat);
    const who = this.identity(login, date);
    return repo.objects.writeCommit({ tree, parents: parent ? [parent] : [], author: who, committer: who, message });
  }

  /** Moves (or creates/deletes with null) a ref and tells listeners when it is a branch. */
  setRef(repo: RepoState, ref: string, sha: string | null): void {
    const before = repo.refs.get(ref) ?? null;
    if (sha === null) repo.refs.delete(ref);
    else repo.refs.set(ref, sha);
    if (before === sha) return;
    if (!ref.startsWith('refs/heads/')) return;
    const branch = ref.slice('refs/heads/'.length);
    if (sha === null) this.freezePullsForBranch(repo, branch, before);
    else this.touchPullsForBranch(repo, branch);
    const event: CommitEvent = {
      repo: repo.fullName,
      branch,
      before: before ?? ZERO_SHA,
      after: sha ?? ZERO_SHA,
      changedFiles: this.changedFiles(repo, before, sha),
    };
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // a failing listener must not break the request that moved the branch
      }
    }
  }

  /** GitHub closes open pull requests whose head or base branch is deleted. */
  private freezePullsForBranch(repo: RepoState, branch: string, lastSha: string | null): void {
    const when = this.nowIso();
    for (const p of this.pulls.get(repo.fullName.toLowerCase()) ?? []) {
      if (p.state !== 'open' || (p.head !== branch && p.base !== branch)) continue;
      p.frozenHeadSha = p.head === branch ? lastSha : (repo.refs.get(`refs/heads/${p.head}`) ?? null);
      p.frozenBaseSha = p.base === branch ? lastSha : (repo.refs.get(`refs/heads/${p.base}`) ?? null);
      p.state = 'closed';
      p.closedAt = when;
      p.updatedAt = when;
    }
  }

  /** A push to a pull request's head branch bumps its updated_at, as on GitHub. */
  private touchPullsForBranch(repo: RepoState, branch: string): void {
    const when = this.nowIso();
    for (const p of this.pulls.get(repo.fullName.toLowerCase()) ?? []) if (p.state === 'open' && p.head === branch) p.updatedAt = when;
  }

  flatAt(repo: RepoState, commitSha: string | null): FlatTree {
    if (!commitSha) return new Map();
    const c = repo.objects.commit(commitSha);
    return c ? repo.objects.flatten(c.tree) : new Map();
  }

  blobText(repo: RepoState, sha: string | null): string | null {
    if (!sha) return null;
    return repo.objects.blob(sha)?.content.toString('utf8') ?? null;
  }

  changedFiles(repo: RepoState, before: string | null, after: string | null): CommitEvent['changedFiles'] {
    return diffFlat(this.flatAt(repo, before), this.flatAt(repo, after)).map((c) => ({
      path: c.path,
      before: this.blobText(repo, c.before),
      after: this.blobText(repo, c.after),
    }));
  }

  /** Resolves a branch name, tag name, full ref or (abbreviated) commit sha. */
  resolve(repo: RepoState, ref: string): string | undefined {
    const direct = repo.refs.get(ref) ?? repo.refs.get(`refs/heads/${ref}`) ?? repo.refs.get(`refs/tags/${ref}`);
    if (direct) return direct;
    if (/^[0-9a-f]{40}$/i.test(ref) && repo.objects.commit(ref.toLowerCase())) return ref.toLowerCase();
    if (/^[0-9a-f]{7,39}$/i.test(ref)) {
      // abbreviated shas: only commits reachable from a ref, which is all the sandbox needs
      for (const tip of repo.refs.values()) {
        for (const s of repo.objects.ancestors(tip)) if (s.startsWith(ref.toLowerCase())) return s;
      }
    }
    return undefined;
  }

  pullList(repo: RepoState): PullState[] {
    return this.pulls.get(repo.fullName.toLowerCase()) ?? [];
  }

  createPull(repo: RepoState, p: { title: string; body: string | null; head: string; base: string; author: string; createdAt?: string; draft: boolean }): PullState {
    const list = this.pullList(repo);
    const created = p.createdAt ?? this.nowIso();
    const pull: PullState = {
      id: this.newId(),
      number: list.length + 1,
      repo: repo.fullName,
      title: p.title,
      body: p.body,
      state: 'open',
      draft: p.draft,
      head: p.head,
      base: p.base,
      author: p.author,
      createdAt: created,
      updatedAt: created,
      closedAt: null,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      frozenHeadSha: null,
      frozenBaseSha: null,
      labels: [],
    };
    list.push(pull);
    return pull;
  }

  headSha(repo: RepoState, p: PullState): string {
    return p.frozenHeadSha ?? repo.refs.get(`refs/heads/${p.head}`) ?? ZERO_SHA;
  }

  baseSha(repo: RepoState, p: PullState): string {
    return p.frozenBaseSha ?? repo.refs.get(`refs/heads/${p.base}`) ?? ZERO_SHA;
  }

  /**
   * Three-way merge at file granularity: a path changed on both sides to different
   * blobs is a conflict. Returns the merged tree, or null on conflict.
   */
  mergeTrees(repo: RepoState, baseTip: string, headTip: string): { tree: string } | null {
    const mb = repo.objects.mergeBase(baseTip, headTip) ?? null;
    const ancestor = this.flatAt(repo, mb);
    const ours = this.flatAt(repo, baseTip);
    const theirs = this.flatAt(repo, headTip);
    const merged: FlatTree = new Map(ours);
    for (const c of diffFlat(ancestor, theirs)) {
      const oursNow = ours.get(c.path)?.sha ?? null;
      const ancestorSha = ancestor.get(c.path)?.sha ?? null;
      if (oursNow !== ancestorSha && oursNow !== c.after) return null;
      if (c.after === null) merged.delete(c.path);
      else merged.set(c.path, theirs.get(c.path) ?? { sha: c.after, mode: '100644' });
    }
    return { tree: repo.objects.buildTree(merged) };
  }

  isMergeable(repo: RepoState, p: PullState): boolean {
    if (p.state !== 'open') return false;
    const head = repo.refs.get(`refs/heads/${p.head}`);
    const base = repo.refs.get(`refs/heads/${p.base}`);
    if (!head || !base) return false;
    return this.mergeTrees(repo, base, head) !== null;
  }

  /** Creates the merge commit on the base branch (merge, squash or rebase-as-squash). */
  mergePull(repo: RepoState, p: PullState, by: string, method: 'merge' | 'squash' | 'rebase', title?: string, message?: string): string | null {
    const head = repo.refs.get(`refs/heads/${p.head}`);
    const base = repo.refs.get(`refs/heads/${p.base}`);
    if (!head || !base) return null;
    const merged = this.mergeTrees(repo, base, head);
    if (!merged) return null;
    const who = this.identity(by);
    let sha: string;
    if (method === 'merge') {
      const t = title ?? `Merge pull request #${p.number} from ${repo.owner}/${p.head}`;
      const m = message ?? p.title;
      sha = repo.objects.writeCommit({ tree: merged.tree, parents: [base, head], author: who, committer: who, message: m ? `${t}\n\n${m}` : t });
    } else {
      const t = title ?? `${p.title} (#${p.number})`;
      const m = message ?? p.body ?? '';
      sha = repo.objects.writeCommit({ tree: merged.tree, parents: [base], author: this.identity(p.author), committer: who, message: m ? `${t}\n\n${m}` : t });
    }
    const when = this.nowIso();
    p.frozenHeadSha = head;
    p.frozenBaseSha = base;
    p.state = 'closed';
    p.mergedAt = when;
    p.closedAt = when;
    p.updatedAt = when;
    p.mergedBy = by;
    p.mergeCommitSha = sha;
    this.setRef(repo, `refs/heads/${p.base}`, sha);
    return sha;
  }
}
