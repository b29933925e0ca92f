// The shape of one forge as the rest of main sees it: its OAuth functions, its git provider,
// its token inspector, its URL rules and the capabilities the renderer is told about. Each
// forge folder (github/, gitlab/) exports one ForgeKind from its kind.ts; registry.ts lists them.

import type { ForgeCapabilities } from '../common/forges';
import type { ForgeHost, ForgeHostType } from './forge-host';
import type { GitProvider } from './git-provider';
import type { AuthorizeUrlBuilder, CodeExchange, DeviceCode, FetchLike, Identity, TokenGrant } from './oauth-types';
import type { InspectorOptions, TokenInspector } from './token-inspector';

type Deps = { fetch: FetchLike; now: () => number };

export interface DeviceFlow {
  request(host: ForgeHost, deps: Deps): Promise<DeviceCode>;
  poll(host: ForgeHost, deviceCode: string, deps: Deps, signal?: AbortSignal): Promise<TokenGrant>;
}

export interface ForgeOAuth {
  /** Absent: the generic OAuth 2.0 authorize URL (auth/loopback-sign-in.ts). */
  authorizeUrl?: AuthorizeUrlBuilder;
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

/** What a token inspector may be given besides fetch and timeouts. */
export interface InspectorDeps extends InspectorOptions {
  now?: () => Date;
  /** The signed-in user's session, lent per call, for forges that read token records with it (GitLab). */
  session?: { withSessionToken<T>(apiBaseUrl: string, fn: (token: string) => Promise<T>): Promise<T | undefined> };
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
  /** The repository a pull request's web URL belongs to, or null when it is not this forge's PR URL. */
  repoUrlOfPullRequest(prUrl: string): string | null;
  /** Inspects the tokens of Pipelines promoting through this forge. */
  inspector(deps: InspectorDeps): TokenInspector;
  /** What the renderer is told about this forge. */
  capabilities: ForgeCapabilities;
}

export const withFetch = (deps?: { fetch?: FetchLike }) => (deps?.fetch ? { fetch: deps.fetch } : {});

/** The part of a URL before `<suffix>/<number>` at its end, or null. */
export function stripNumberedSuffix(url: string, suffix: string): string | null {
  const match = new RegExp(`^(.+)${suffix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\d+/?$`).exec(url);
  return match ? (match[1] as string) : null;
}
