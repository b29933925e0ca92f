// What every forge's OAuth code hands the generic flows and the session vault: the token
// grant, the identity of its owner, the device code, and the error type (with the forge's
// OAuth error code and whether retrying may help). No forge-specific code here.

import type { ForgeHost } from './forge-host';

export type FetchLike = typeof fetch;

/** A token grant as the vault stores it. */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string | null;
  /** epoch ms; null = the token does not expire */
  expiresAt: number | null;
  /** epoch ms; null = unknown / no refresh token */
  refreshExpiresAt: number | null;
  scopes: string[];
  /** granted by the device flow (refresh then needs no client secret) */
  viaDevice: boolean;
}

export interface Identity {
  login: string;
  name: string | null;
  avatarUrl: string | null;
  /** from X-OAuth-Scopes, when the forge sends it */
  scopes: string[] | null;
}

/** A failed OAuth request: `oauthError` is the forge's error code ('bad_verification_code', 'invalid_grant', ...), or 'network' / 'http-<status>'. */
export class OAuthEndpointError extends Error {
  override readonly name = 'OAuthEndpointError';
  constructor(
    readonly oauthError: string,
    message: string,
    readonly transient: boolean,
    readonly interval?: number,
  ) {
    super(message);
  }
}

export interface DeviceCode {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  expiresAt: number;
  intervalSeconds: number;
}

/** The forge's code-for-token exchange (chosen per host type by the forge registry). */
export type CodeExchange = (host: ForgeHost, args: { code: string; verifier: string; redirectUri: string }, deps: { fetch: FetchLike; now: () => number }) => Promise<TokenGrant>;

/** The browser's authorize URL with the PKCE challenge (chosen per host type; a forge without one gets the generic OAuth 2.0 URL). */
export type AuthorizeUrlBuilder = (host: ForgeHost, args: { redirectUri: string; state: string; challenge: string }) => string;
