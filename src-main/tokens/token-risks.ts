// The risk assessment of one token in plain words, each risk with its safer alternative and
// a link into docs/token-guidance.md. Pure: facts in, risks out.

import { wholeDaysUntil, type SecretLocation, type TokenEntry, type TokenRisk, type TokenUse } from '../common/tokens';

export const GUIDANCE_DOC = 'docs/token-guidance.md';
export const guidance = {
  longLived: `${GUIDANCE_DOC}#long-lived-tokens-in-clusters`,
  restrictSecret: `${GUIDANCE_DOC}#restrict-the-secret-to-the-controller`,
  fineGrained: `${GUIDANCE_DOC}#create-a-minimal-fine-grained-token`,
  whatFor: `${GUIDANCE_DOC}#what-the-token-is-used-for`,
  userDriven: `${GUIDANCE_DOC}#prefer-user-driven-promotion`,
  rotate: `${GUIDANCE_DOC}#rotate-before-expiry`,
  createSecret: `${GUIDANCE_DOC}#create-the-promotion-secret`,
} as const;

/** Expiry closer than this is a risk ("expires within 14 days"). */
export const EXPIRY_WARNING_DAYS = 14;

/** Classic/OAuth scopes that grant write to every repository the user can reach, or more. */
const BROAD_SCOPES = new Set([
  'repo',
  'public_repo',
  'workflow',
  'admin:org',
  'write:org',
  'admin:repo_hook',
  'admin:org_hook',
  'delete_repo',
  'admin:enterprise',
  'site_admin',
  'write:packages',
  'delete:packages',
  'admin:public_key',
  'admin:gpg_key',
  'user',
  // GitLab
  'api',
  'write_repository',
  'sudo',
  'admin_mode',
]);

/**
 * The Pipeline CRD: "For HTTPS repositories the Secret must contain 'username' and 'password'
 * fields. For Git Provider API to manage pull requests, it must contain a 'token' field." A
 * replacement stored under `token` alone breaks the controller's clone and push.
 */
export const SECRET_KEYS_ADVICE =
  'Store it in the Secret under token, username and password (the token again): the pipeline-controller clones and pushes over HTTPS with username/password and opens the PR with token.';
const SAFER_GITHUB = `Replace it with a fine-grained token for the config repository only, with Contents: write and Pull requests: write, and an expiry. ${SECRET_KEYS_ADVICE} Or promote with Release Board’s user-driven flow, which uses your own short-lived sign-in.`;
const SAFER_RESTRICT =
  'Restrict the Secret with a Role that allows get on this one Secret (resourceNames) and a RoleBinding to the pipeline-controller service account only; remove broader Secret access from people’s roles.';

export type RiskFacts = Pick<TokenEntry, 'state' | 'kind' | 'scopes' | 'expiresAt' | 'identity' | 'provider'> & {
  uses: readonly TokenUse[];
  secrets: readonly SecretLocation[];
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function daysBetween(fromMs: number, toIso: string): number {
  return (Date.parse(toIso) - fromMs) / 86_400_000;
}

function githubScopeDetail(broad: readonly string[]): string {
  const tooMuch = broad.filter((s) => s !== 'repo');
  return `A classic token with repo scope can write to every repository its user can reach, not only the config repository${tooMuch.length > 0 ? `; ${tooMuch.join(', ')} go${tooMuch.length === 1 ? 'es' : ''} further still` : ''}.`;
}

/** What each broad GitLab scope adds beyond pushing to repositories (write_repository, the narrowest). */
const GITLAB_SCOPE_REACH: Record<string, string> = {
  api: 'api reaches the whole API as its user — project settings, members, other projects and groups — not only Git',
  sudo: 'sudo lets it act as any user',
  admin_mode: 'admin_mode adds administrator rights',
};

function gitlabScopeDetail(broad: readonly string[]): string {
  const beyond = broad.flatMap((s) => (GITLAB_SCOPE_REACH[s] ? [GITLAB_SCOPE_REACH[s]] : []));
  return `${broad.length === 1 ? 'This scope' : 'These scopes'} can push to every repository its user can reach, not only the config repository${beyond.length > 0 ? `; ${beyond.join('; ')}` : ''}.`;
}

const SAFER_GITLAB = `Replace it with a project access token for the config project only (role Developer, scopes api and write_repository, with an expiry). ${SECRET_KEYS_ADVICE} Or promote with Release Board’s user-driven flow, which uses your own short-lived sign-in.`;

function secretNames(facts: RiskFacts): string {
  const names = facts.secrets.map((s) => `${s.namespace}/${s.name}`);
  if (names.length > 0) return names.join(', ');
  const named = [...new Set(facts.uses.map((u) => `${u.namespace}/${u.secretName}`))];
  return named.join(', ') || 'the promotion Secret';
}

/**
 * A Secret that holds no usable token stops every automated promotion that names it, even
 * though no token means no token risk: say so, with the fix.
 */
function missingTokenRisk(facts: RiskFacts): TokenRisk | undefined {
  const where = secretNames(facts);
  const pipelines = plural(new Set(facts.uses.map((u) => u.pipelineId)).size, 'pipeline');
  const pr = facts.provider === 'gitlab' ? 'merge request' : 'pull request';
  switch (facts.state) {
    case 'secret-missing':
      return {
        id: 'secret-missing',
        severity: 'high',
        title: 'The promotion Secret does not exist',
        detail: `The pipeline-controller reads ${where} to open the promotion ${pr}; it is missing, so automated promotions for ${pipelines} fail.`,
        saferAlternative: `Create ${where} holding a fine-grained token for the config repository only. ${SECRET_KEYS_ADVICE} Or remove the pull-request strategy and promote with Release Board’s user-driven flow.`,
        guidance: guidance.createSecret,
      };
    case 'key-missing':
      return {
        id: 'token-key-missing',
        severity: 'high',
        title: 'The Secret has no usable "token" key',
        detail: `${where} exists but holds no usable \`token\` value, which is what the pipeline-controller reads; automated promotions for ${pipelines} fail.`,
        saferAlternative: `Put a fine-grained token for the config repository only into ${where}. ${SECRET_KEYS_ADVICE}`,
        guidance: guidance.createSecret,
      };
    case 'cluster-error':
      return {
        id: 'secret-unreadable',
        severity: 'medium',
        title: 'The Secret could not be read',
        detail: `The cluster did not return ${where}, so Release Board cannot tell whether automated promotions for ${pipelines} still have a working token.`,
        saferAlternative: `Check that the cluster is reachable and the Secret is intact, then press Re-check. If it is gone, create it again: ${SECRET_KEYS_ADVICE}`,
        guidance: guidance.createSecret,
      };
    default:
      return undefined;
  }
}

export function assessTokenRisks(facts: RiskFacts, now: Date): TokenRisk[] {
  const risks: TokenRisk[] = [];
  const missing = missingTokenRisk(facts);
  if (missing) risks.push(missing);
  const SAFER_FINE_GRAINED = facts.provider === 'gitlab' ? SAFER_GITLAB : SAFER_GITHUB;
  const nowMs = now.getTime();
  const working = facts.state === 'valid' || facts.state === 'expiring-soon';

  if (facts.state === 'expired' || facts.state === 'revoked-or-expired') {
    risks.push({
      id: 'expired-or-revoked',
      severity: 'high',
      title: facts.state === 'expired' ? 'The token has expired' : 'The forge rejects the token (revoked or expired)',
      detail: `Automated promotions for ${plural(new Set(facts.uses.map((u) => u.pipelineId)).size, 'pipeline')} fail until the Secret holds a working token. The long-lived value is still stored in the cluster.`,
      saferAlternative: `Do not simply paste another broad, long-lived token. ${SAFER_FINE_GRAINED}`,
      guidance: guidance.fineGrained,
    });
  }

  if (working && facts.expiresAt === null && facts.kind !== 'github-installation') {
    risks.push({
      id: 'no-expiry',
      severity: 'high',
      title: 'The token never expires',
      detail: 'A leaked copy (from the cluster, a backup or a log) keeps working until someone notices and revokes it.',
      saferAlternative: SAFER_FINE_GRAINED,
      guidance: guidance.longLived,
    });
  }

  if (working && typeof facts.expiresAt === 'string') {
    const days = daysBetween(nowMs, facts.expiresAt);
    if (days <= EXPIRY_WARNING_DAYS) {
      const whole = Math.max(0, wholeDaysUntil(facts.expiresAt, nowMs));
      risks.push({
        id: 'expires-soon',
        severity: 'medium',
        title: whole === 0 ? 'The token expires today' : `The token expires in ${plural(whole, 'day')}`,
        detail: `It expires on ${facts.expiresAt.slice(0, 10)}; automated promotions stop then.`,
        saferAlternative: `${facts.provider === 'gitlab' ? 'Rotate it now with a project access token for the config project only' : 'Rotate it now with a fine-grained token for the config repository only (Contents + Pull requests: write)'}, or move these pipelines to user-driven promotion. ${SECRET_KEYS_ADVICE}`,
        guidance: guidance.rotate,
      });
    }
  }

  const broad = (facts.scopes ?? []).filter((s) => BROAD_SCOPES.has(s) || s.startsWith('admin:'));
  // GitLab project/group access tokens act as a bot confined to one project or group; a
  // personal GitLab token reaches everything its person can.
  const gitlabPersonal = facts.kind === 'gitlab-access-token' && facts.identity?.type !== 'Bot';
  if (broad.length > 0 && (facts.kind === 'github-classic' || facts.kind === 'github-oauth' || gitlabPersonal)) {
    risks.push({
      id: 'broad-scope',
      severity: 'high',
      title: `Broad scopes: ${broad.join(', ')}`,
      detail: facts.kind === 'gitlab-access-token' ? gitlabScopeDetail(broad) : githubScopeDetail(broad),
      saferAlternative: SAFER_FINE_GRAINED,
      guidance: guidance.fineGrained,
    });
  }

  if (facts.identity?.type === 'User') {
    risks.push({
      id: 'personal-account',
      severity: 'medium',
      title: `The token belongs to a person (${facts.identity.login})`,
      detail: `Every automated promotion PR appears as authored by ${facts.identity.login}, and promotions break when that person leaves or loses access.`,
      saferAlternative: 'Use a dedicated bot/machine account with access to the config repository only — or user-driven promotion, where each PR is authored by the release manager who promoted.',
      guidance: guidance.whatFor,
    });
  }

  if (facts.uses.length > 0 && facts.uses.every((u) => u.referenceOnly) && facts.secrets.some((s) => s.hasToken)) {
    risks.push({
      id: 'unused-token',
      severity: 'medium',
      title: 'No promotion uses this token',
      detail: `Only the pipeline-wide default names ${facts.secrets.map((s) => `${s.namespace}/${s.name}`).join(', ')}, and every environment that is promoted into overrides it — yet the token is stored and can still be used by anyone who reads it.`,
      saferAlternative: 'Remove the unused default strategy and delete the Secret; revoke the token at the forge.',
      guidance: guidance.longLived,
    });
  }

  const pipelines = new Set(facts.uses.map((u) => u.pipelineId));
  const namespaces = new Set(facts.secrets.map((s) => `${s.context}/${s.namespace}`));
  if (facts.secrets.length > 1 || pipelines.size > 1) {
    const spread = namespaces.size > 1;
    risks.push({
      id: 'shared-token',
      severity: spread || pipelines.size >= 3 ? 'high' : 'medium',
      title: `The same token is used by ${plural(pipelines.size, 'pipeline')}${spread ? ` across ${plural(namespaces.size, 'namespace')}` : ''}`,
      detail: `It is stored in ${plural(facts.secrets.length, 'Secret')} (${facts.secrets.map((s) => `${s.namespace}/${s.name}`).join(', ')}). Anyone who can read one of them can promote for all of these pipelines, and rotating it means updating every copy.`,
      saferAlternative: 'Give each pipeline (or at least each team namespace) its own fine-grained token scoped to the repository it promotes into.',
      guidance: guidance.fineGrained,
    });
  }

  // A missing Secret holds nothing to read; one without `token` may still hold username/password.
  const readable = facts.secrets.filter((s) => s.access.youCanGet === 'yes' && (s.hasToken || s.hasUsername || s.hasPassword));
  const listable = facts.secrets.filter((s) => s.access.youCanListNamespace === 'yes');
  if (readable.length > 0) {
    const where = readable.map((s) => `${s.namespace}/${s.name}`).join(', ');
    risks.push({
      id: 'secret-readable-by-you',
      severity: 'high',
      title: 'The Secret is readable by more than the controller',
      detail: `You are not the pipeline controller, yet you can read ${where}${readable[0]!.access.method === 'self-subject-access-review' ? ' (confirmed by an access review)' : ' (Release Board just did, with your kubeconfig)'}; so can everyone with the same access.${listable.length > 0 ? ` You may even list every Secret in ${[...new Set(listable.map((s) => s.namespace))].join(', ')}.` : ''}`,
      saferAlternative: SAFER_RESTRICT,
      guidance: guidance.restrictSecret,
    });
  } else if (facts.secrets.length > 0 && facts.secrets.every((s) => s.access.youCanGet === 'unknown')) {
    risks.push({
      id: 'secret-access-unknown',
      severity: 'low',
      title: 'Who may read the Secret is unknown',
      detail: 'The cluster answered no access review and the Secret could not be read, so Release Board cannot tell who else may read it.',
      saferAlternative: SAFER_RESTRICT,
      guidance: guidance.restrictSecret,
    });
  }

  return risks;
}
