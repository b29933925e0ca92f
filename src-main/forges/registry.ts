// The one place that knows which forges exist: per ForgeHost type, the OAuth functions
// (code exchange, refresh, identity, revoke, device flow), the GitProvider, and what to tell a
// user who lacks access. Everything else (auth-service, session-vault, promotion-service,
// pull-discovery) asks this registry by host and never tests a forge's name itself; adding a
// forge means adding an entry here (and its type to forge-host.ts), nothing more.

import type { ForgeHost, ForgeHostType } from './forge-host';
import { exchangeGitLabCode, fetchGitLabIdentity, refreshGitLabGrant, revokeGitLabToken } from './gitlab/oauth';
import {
  exchangeAuthorizationCode,
  fetchIdentity,
  pollDeviceToken,
  refreshAccessToken,
  requestDeviceCode,
  revokeToken,
} from './github/oauth';
import type { CodeExchange, DeviceCode, FetchLike, Identity, TokenGrant } from './oauth-types';
import { createGitHubProvider } from './github/github-provider';
import { createGitLabProvider } from './gitlab/gitlab-provider';
import type { GitProvider } from './git-provider';

type Deps = { fetch: FetchLike; now: () => number };

export interface DeviceFlow {
  request(host: ForgeHost, deps: Deps): Promise<DeviceCode>;
  poll(host: ForgeHost, deviceCode: string, deps: Deps, signal?: AbortSignal): Promise<TokenGrant>;
}

export interface ForgeOAuth {
  exchangeCode: CodeExchange;
  /** One refresh; throws OAuthEndpointError (transient or not). */
  refresh(host: ForgeHost, grant: TokenGrant, deps: Deps): Promise<TokenGrant>;
  /** Who the token belongs to; an error with `status` when the forge refused. */
  identity(host: ForgeHost, token: string, fetchImpl: FetchLike): Promise<Identity>;
  /** Best effort server-side revocation; false when it did not (or could not) happen. */
  revoke(host: ForgeHost, token: string, fetchImpl: FetchLike): Promise<boolean>;
  /** null: no device flow on this forge. */
  device: DeviceFlow | null;
}

export interface ForgeKind {
  type: ForgeHostType;
  /** For messages: "GitHub", "GitLab". */
  label: string;
  /** What this forge calls a pull request ("pull request", "merge request"). */
  pullRequestNoun: string;
  /** How this forge writes a PR's reference in text: "PR #12", "merge request !12". */
  pullRequestRef(number: number): string;
  /** Pipeline pull-request strategy `type` values this forge promotes through. */
  strategyProviders: readonly string[];
  oauth: ForgeOAuth;
  provider(host: ForgeHost, token: string, deps?: { fetch?: FetchLike }): GitProvider;
  /** Hint for a user whose account cannot push to the repository. */
  noAccessHint: string;
}

export type ForgeRegistry = (host: Pick<ForgeHost, 'type'>) => ForgeKind;

const withFetch = (deps?: { fetch?: FetchLike }) => (deps?.fetch ? { fetch: deps.fetch } : {});

const KINDS: Record<ForgeHostType, ForgeKind> = {
  github: {
    type: 'github',
    label: 'GitHub',
    pullRequestNoun: 'pull request',
    pullRequestRef: (n) => `PR #${n}`,
    strategyProviders: ['github'],
    oauth: {
      exchangeCode: exchangeAuthorizationCode,
      refresh: refreshAccessToken,
      identity: fetchIdentity,
      revoke: revokeToken,
      device: { request: requestDeviceCode, poll: pollDeviceToken },
    },
    provider: (host, token, deps) => createGitHubProvider({ apiUrl: host.apiUrl, token, ...withFetch(deps) }),
    noAccessHint: 'Ask for write access to the repository (or, for a GitHub App, install it on the repository), then retry.',
  },
  gitlab: {
    type: 'gitlab',
    label: 'GitLab',
    pullRequestNoun: 'merge request',
    pullRequestRef: (n) => `merge request !${n}`,
    strategyProviders: ['gitlab'],
    oauth: {
      exchangeCode: exchangeGitLabCode,
      refresh: refreshGitLabGrant,
      identity: fetchGitLabIdentity,
      revoke: revokeGitLabToken,
      device: null,
    },
    provider: (host, token, deps) => createGitLabProvider({ apiUrl: host.apiUrl, token, ...withFetch(deps) }),
    noAccessHint: 'Ask for the Developer role (or higher) on the project, or for push rights on its protected branches, then retry.',
  },
};

/** The forge kind for a host; throws for a type no entry exists for (validateForgeHost refuses those first). */
export const forgeKindFor: ForgeRegistry = (host) => {
  const kind = Object.hasOwn(KINDS, host.type) ? KINDS[host.type] : undefined;
  if (!kind) throw new Error(`no forge registered for host type "${String(host.type)}"`);
  return kind;
};

/** Every strategy provider some registered forge promotes through, e.g. for a "supported: …" hint. */
export function supportedStrategyProviders(): string[] {
  return Object.values(KINDS).flatMap((k) => [...k.strategyProviders]);
}

/** Every registered forge's label (for hints). */
export function forgeLabels(): string[] {
  return Object.values(KINDS).map((k) => k.label);
}
