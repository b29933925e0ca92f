// The token report: who is behind the automated promotions of every pipeline, as plain
// JSON-safe data for the renderer. Types and import-free pure helpers only.
//
// Security model: nothing in here ever holds a token value. A token is known by its
// fingerprint (first 8 hex of its SHA-256), which lets two pipelines sharing one token be
// recognised without revealing it.

export type TokenProvider = 'github' | 'gitlab' | 'bitbucket-server';

/**
 * One glanceable state per token (or per Secret that yielded no token).
 * - valid / expiring-soon: the forge accepted the token (expiring-soon = within 14 days)
 * - expired: the forge rejected it and its known expiry is past
 * - revoked-or-expired: the forge rejected it (401) and we cannot tell which
 * - forbidden: RBAC does not let *you* read the Secret ("you may not read this Secret")
 * - secret-missing / key-missing: the Secret, or its `token` key, does not exist
 * - cluster-error / forge-error: the cluster or the forge could not be asked
 * - unsupported-provider / invalid-repo-url: nothing could be inspected
 * - host-not-approved: the repository is on a Git host the user has not approved, so the
 *   token was not sent anywhere (a Pipeline must not be able to send tokens to a host it names)
 */
export type TokenState =
  | 'valid'
  | 'expiring-soon'
  | 'expired'
  | 'revoked-or-expired'
  | 'forbidden'
  | 'secret-missing'
  | 'key-missing'
  | 'cluster-error'
  | 'forge-error'
  | 'unsupported-provider'
  | 'invalid-repo-url'
  | 'host-not-approved';

export type TokenKind = 'github-classic' | 'github-fine-grained' | 'github-oauth' | 'github-app-user' | 'github-installation' | 'gitlab-access-token' | 'unknown';

export interface TokenIdentity {
  login: string;
  name?: string;
  /** GitHub's account type; GitLab bots map to 'Bot'. */
  type: 'User' | 'Bot' | 'Organization' | 'unknown';
  /** A data: URL (the renderer's CSP allows no remote images); absent = show initials. */
  avatarDataUrl?: string;
  profileUrl?: string;
}

export interface RateLimitInfo {
  limit: number;
  remaining: number;
  used?: number;
  /** ISO time the window resets. */
  resetsAt?: string;
  resource?: string;
}

/** Where a token was found. `hasUsername`/`hasPassword`: presence only, values never read. */
export interface SecretLocation {
  context: string;
  namespace: string;
  name: string;
  hasToken: boolean;
  hasUsername: boolean;
  hasPassword: boolean;
  access: SecretAccess;
}

export type Tristate = 'yes' | 'no' | 'unknown';

/** What we could find out about who may read the Secret (we are not the controller). */
export interface SecretAccess {
  /** May the current kubeconfig user `get` this Secret? */
  youCanGet: Tristate;
  /** May the current kubeconfig user `list` Secrets in its namespace (= read all of them)? */
  youCanListNamespace: Tristate;
  /** How it was determined. */
  method: 'self-subject-access-review' | 'read-attempt' | 'none';
  /** One plain sentence about what was found (SelfSubjectRulesReview summary when available). */
  summary: string;
}

/** One promotion target that relies on a token. */
export interface TokenUse {
  /** Board pipeline id ("ns/name" or "ns/name@context"). */
  pipelineId: string;
  context: string;
  namespace: string;
  pipeline: string;
  /** The environment promoted INTO. */
  environment: string;
  provider: TokenProvider;
  repoUrl: string;
  secretName: string;
  /** Where the strategy came from: the environment's own `promotion` or the pipeline default. */
  strategySource: 'environment' | 'pipeline';
  /**
   * True when only the pipeline-wide default names this Secret and every promoted-into
   * environment overrides it: the token is stored but no promotion uses it.
   * `environment` is then "(pipeline default)".
   */
  referenceOnly?: boolean;
}

export type TokenRiskId =
  | 'no-expiry'
  | 'expires-soon'
  | 'expired-or-revoked'
  | 'broad-scope'
  | 'personal-account'
  | 'shared-token'
  | 'secret-readable-by-you'
  | 'secret-access-unknown'
  | 'unused-token'
  | 'secret-missing'
  | 'token-key-missing'
  | 'secret-unreadable';

export interface TokenRisk {
  id: TokenRiskId;
  severity: 'high' | 'medium' | 'low';
  /** Plain words: what is wrong. */
  title: string;
  /** Plain words: why it matters, with the facts found. */
  detail: string;
  /** The safer alternative. */
  saferAlternative: string;
  /** A link into the guidance, e.g. "docs/token-guidance.md#restrict-the-secret". */
  guidance: string;
}

/**
 * When the token was last used. GitHub does not expose that to the token, so for GitHub
 * this is the newest promotion PR authored by the token's user, and labelled as such.
 */
export type TokenActivity =
  | { kind: 'newest-promotion-pr'; label: string; number: number; url: string; createdAt: string; repo: string }
  | { kind: 'no-promotion-pr'; label: string; repo: string }
  | { kind: 'last-used'; label: string; at: string }
  | { kind: 'never-used'; label: string }
  | { kind: 'unknown'; label: string };

/** One token (by fingerprint), or one Secret that yielded no token (by location). */
export interface TokenEntry {
  /** The fingerprint, or "secret:<context>/<namespace>/<name>" when no token was read. */
  key: string;
  fingerprint?: string;
  state: TokenState;
  /** Human words for the state ("you may not read this Secret", "the forge rejected it"). */
  stateLabel: string;
  /** Extra detail (error messages without secrets). */
  stateDetail?: string;
  provider?: TokenProvider;
  /** The forge API the token was checked against. */
  apiBaseUrl?: string;
  kind?: TokenKind;
  kindLabel?: string;
  identity?: TokenIdentity;
  /** Classic/OAuth scopes (X-OAuth-Scopes); null = the forge reports none (fine-grained). */
  scopes?: string[] | null;
  /** ISO time; null = never expires; absent = unknown. */
  expiresAt?: string | null;
  rateLimit?: RateLimitInfo;
  /** Installation tokens: repositories the installation can reach (first page). */
  repositories?: string[];
  activity?: TokenActivity[];
  secrets: SecretLocation[];
  uses: TokenUse[];
  risks: TokenRisk[];
  /** ISO time of the forge inspection (cached for a few minutes). */
  checkedAt?: string;
  /** state 'host-not-approved': the Git host (host[:port]) the user may approve to check this token. */
  unapprovedHost?: string;
}

/** Per pipeline: which entry each promoted-into environment relies on. */
export interface PipelineTokenRef {
  pipelineId: string;
  context: string;
  namespace: string;
  pipeline: string;
  environments: Array<{
    environment: string;
    strategy: 'pull-request' | 'notification' | 'none';
    /** TokenEntry.key, for pull-request environments. */
    entryKey?: string;
  }>;
}

export interface TokenReportProblem {
  code: string;
  message: string;
  hint?: string;
}

export interface TokenReport {
  generatedAt: string;
  /**
   * 'not-enabled': the user has not (yet) chosen to let Release Board read promotion Secrets,
   * so none was read; entries is empty and the Tokens view explains the choice.
   */
  secretReading: 'enabled' | 'not-enabled';
  entries: TokenEntry[];
  pipelines: PipelineTokenRef[];
  problems: TokenReportProblem[];
}

/** The entry a pipeline environment relies on (undefined: no pull-request strategy). */
export function tokenEntryFor(report: TokenReport, pipelineId: string, environment: string): TokenEntry | undefined {
  const ref = report.pipelines.find((p) => p.pipelineId === pipelineId);
  const key = ref?.environments.find((e) => e.environment === environment)?.entryKey;
  return key === undefined ? undefined : report.entries.find((e) => e.key === key);
}

/** All entries a pipeline relies on, without repeats (for a compact badge on a board row). */
export function tokenEntriesForPipeline(report: TokenReport, pipelineId: string): TokenEntry[] {
  const ref = report.pipelines.find((p) => p.pipelineId === pipelineId);
  if (!ref) return [];
  const keys = [...new Set(ref.environments.flatMap((e) => (e.entryKey ? [e.entryKey] : [])))];
  return keys.flatMap((k) => report.entries.filter((e) => e.key === k));
}

/** States in which the token is known to work. */
export function isTokenWorking(state: TokenState): boolean {
  return state === 'valid' || state === 'expiring-soon';
}

/**
 * Whole days until an expiry, counted the same way everywhere (risk titles, the Tokens view,
 * the Inbox): days that have fully passed are not counted, so 4.6 days is "in 4 days".
 */
export function wholeDaysUntil(iso: string, nowMs: number): number {
  const days = (Date.parse(iso) - nowMs) / 86_400_000;
  return days >= 0 ? Math.floor(days) : -Math.floor(-days);
}
