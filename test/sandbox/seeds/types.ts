// The shape every sandbox seed produces. A seed is a function of the running servers
// (their URLs and CAs are only known once they listen), returning plain data that the
// sandbox loads into its Kubernetes API servers and its forge.

import type { Now } from '../clock';
/** Any Kubernetes object as JSON (apiVersion, kind, metadata, spec, status, data...). */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } & Record<string, unknown>;
} & Record<string, unknown>;

/** One RBAC rule, like a Role rule: verbs × resources (plural, with group) × namespaces ('*' = all). */
export interface KubeRbacRule {
  verbs: string[]; // get, list, watch, create, update, patch, delete, or '*'
  apiGroups: string[]; // '' for core, or '*'
  resources: string[]; // plural names, 'pipelines', 'secrets', 'helmreleases/status', or '*'
  namespaces?: string[]; // omitted or ['*'] = every namespace and cluster-scoped
  resourceNames?: string[]; // omitted = any name; else only requests naming one of these (as RBAC)
}

export interface KubeUser {
  name: string;
  token: string; // bearer token
  rules: KubeRbacRule[];
}

export interface SeedCluster {
  name: string; // also the kubeconfig context name
  management: boolean; // hosts Pipelines and GitopsClusters
  users: KubeUser[];
  objects: KubeObject[]; // namespaces, secrets (data base64), CRs with their status
}

export interface SeedForgeUser {
  login: string;
  name: string;
  type: 'User' | 'Bot';
  id?: number;
  email?: string;
}

export type ForgeTokenKind = 'classic' | 'fine-grained' | 'oauth' | 'app-user' | 'installation';

export interface SeedForgeToken {
  value: string; // ghp_..., github_pat_..., gho_..., ghu_..., ghs_...
  login: string; // the user behind it (installation tokens: the app's bot login)
  kind: ForgeTokenKind;
  scopes: string[]; // X-OAuth-Scopes (empty for fine-grained)
  expiresAt: string | null; // ISO time, null = never
  revoked?: boolean;
  /** fine-grained tokens: repositories ("owner/name") and permissions it grants */
  repositories?: string[];
  permissions?: Record<string, 'read' | 'write'>;
  /** optional case name (e.g. 'expired'); the sandbox reports labelled token values to tests */
  label?: string;
}

export interface SeedRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  files: Record<string, string>; // path → content at the initial commit
  /** logins allowed to push; omitted = every user */
  pushers?: string[];
  /** a private repository: only signed-in users with access see it (others get GitHub's 404) */
  private?: boolean;
}

export interface SeedPullRequest {
  repo: string; // owner/name
  head: string; // branch name; the seed creates it from base with `files` changed
  base: string;
  title: string;
  body: string;
  author: string; // login
  files: Record<string, string>;
  createdAt?: string;
  /** merged in the past (the base branch already holds the result; the head branch is gone) */
  merged?: { at: string; by: string };
  /** reviews submitted before the merge */
  reviews?: { user: string; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; at: string }[];
}

export interface SeedOAuthApp {
  clientId: string;
  clientSecret: string;
  name: string;
  /** true = GitHub App style expiring user tokens (8 h) with refresh tokens (6 months) */
  expiringTokens: boolean;
  callbackPath: string; // registered callback path, e.g. '/callback'
}

export interface SeedForge {
  users: SeedForgeUser[];
  tokens: SeedForgeToken[];
  repos: SeedRepo[];
  pulls: SeedPullRequest[];
  oauthApps: SeedOAuthApp[];
  /** the user that the OAuth authorize page signs in as */
  signInUser: string;
}

// ---- GitLab (optional second forge; test/sandbox/gitlab) -------------------------------

export interface SeedGitLabUser {
  username: string;
  name: string;
  id?: number;
  /** commit email; default `<username>@example.com` */
  email?: string;
  /** project/group access token users are bots (`project_<id>_bot_<hash>`) */
  bot?: boolean;
  /** instance administrator (reads every user's personal access tokens); default false */
  admin?: boolean;
}

/** personal: a user's PAT; project/group: an access token whose user is a bot of that project/group. */
export type GitLabTokenKind = 'personal' | 'project' | 'group';

export interface SeedGitLabToken {
  value: string; // glpat-...
  /** the user behind it (project/group tokens: the bot's username) */
  username: string;
  kind: GitLabTokenKind;
  name: string;
  scopes: string[]; // api, read_api, read_user, read_repository, write_repository, ...
  /** GitLab expires_at is a date: 'YYYY-MM-DD' (the token stops working on that day, UTC); null = never */
  expiresAt: string | null;
  lastUsedAt?: string | null;
  createdAt?: string;
  revoked?: boolean;
  /** project/group tokens: full path of the project or group they belong to */
  resource?: string;
  /** project/group tokens: role (10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner); default 40 */
  accessLevel?: number;
  /** optional case name; the sandbox reports labelled token values to tests */
  label?: string;
}

export interface SeedGitLabProject {
  /** full path with (sub)groups: 'platform-team/infra/fleet-config' */
  path: string;
  id?: number;
  defaultBranch: string;
  files: Record<string, string>;
  /** approvals each merge request needs: one "All Members" rule (GitLab Premium); default 0 */
  approvalsRequired?: number;
  /** several approval rules (GitLab Premium), e.g. one per team; overrides approvalsRequired */
  approvalRules?: { name: string; approvalsRequired: number; eligible?: string[] }[];
  /** GitLab Free has no approval rules (nothing is required); default premium */
  tier?: 'free' | 'premium';
  /** "Pipelines must succeed" */
  onlyAllowMergeIfPipelineSucceeds?: boolean;
  /** usernames with at least Developer access; omitted = every user */
  members?: string[];
}

export type GitLabPipelineStatus = 'created' | 'waiting_for_resource' | 'preparing' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual' | 'scheduled';

export interface SeedGitLabMergeRequest {
  project: string; // full path
  sourceBranch: string; // created from targetBranch with `files` changed
  targetBranch: string;
  title: string;
  description: string;
  author: string; // username
  files: Record<string, string>;
  createdAt?: string;
  /** a pipeline on the source branch head */
  pipeline?: GitLabPipelineStatus;
  approvedBy?: string[];
  /** merged in the past (the target branch already holds the result; the source branch is gone) */
  merged?: { at: string; by: string };
}

export interface SeedGitLabOAuthApp {
  /** GitLab calls it the application ID (uid) */
  clientId: string;
  clientSecret: string;
  name: string;
  /** false = public client (desktop app): the token endpoint needs no secret, PKCE protects the code */
  confidential: boolean;
  /** registered redirect URIs; loopback IP ones match any port (RFC 8252 §7.3, as Doorkeeper does) */
  redirectUris: string[];
  scopes: string[];
  /** an instance-wide trusted application: GitLab never asks for consent */
  trusted?: boolean;
  /** authorization requests must carry a PKCE code_challenge (Doorkeeper's force_pkce); default false */
  requirePkce?: boolean;
}

export interface SeedGitLab {
  users: SeedGitLabUser[];
  tokens: SeedGitLabToken[];
  projects: SeedGitLabProject[];
  mergeRequests: SeedGitLabMergeRequest[];
  oauthApps: SeedGitLabOAuthApp[];
  /** the user the OAuth authorize page signs in as */
  signInUser: string;
  /** group full path → usernames with the Owner role (they may read the group's access tokens) */
  groupOwners?: Record<string, string[]>;
}

export interface Seed {
  name: string;
  clusters: SeedCluster[];
  forge: SeedForge;
  /** present = the sandbox also starts the GitLab-compatible forge */
  gitlab?: SeedGitLab;
}

/** What a seed knows about the running sandbox when it is built. */
export interface SeedContext {
  clusters: Record<string, { server: string; caData: string }>; // by cluster name; caData = base64 PEM
  forge: { url: string; apiUrl: string };
  /** set when the seed has a `gitlab` section (placeholder addresses in the first, dry build) */
  gitlab?: { url: string; apiUrl: string };
  /** the sandbox's clock: every date a seed writes (expiries, deploy times) is relative to it */
  now: Now;
}

export type SeedBuilder = (ctx: SeedContext) => Seed;
