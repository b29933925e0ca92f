// Sign-in sessions as the renderer may see them: who is signed in to which forge host and
// until when. Deliberately no token, no refresh token, no client secret: those stay in the
// main-process vault (src-main/auth/session-vault.ts). Pure types, shared with the renderer.

/** 'signed-in': a usable token is held in main. 'sign-in-required': it expired, was revoked or could not be refreshed. */
export type SessionState = 'signed-in' | 'sign-in-required';

export interface SessionInfo {
  /** ForgeHost id, e.g. "github.com", "ghe.acme.example" or "gitlab.com". */
  host: string;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  /** ISO time the current access token expires (GitHub App user tokens, GitLab OAuth tokens), null = does not expire. */
  expiresAt: string | null;
  /** Granted OAuth scopes (empty for GitHub App user tokens, whose rights are the app's permissions). */
  scopes: string[];
  state: SessionState;
}

/** The kinds of forge the app can sign in to and promote through. */
export type ForgeHostType = 'github' | 'gitlab';

/** A forge host as the renderer may list it (no client secret). */
export interface ForgeHostSummary {
  id: string;
  type: ForgeHostType;
  webUrl: string;
  apiUrl: string;
}

/** What the UI shows during a device-flow sign-in. */
export interface DeviceCodePrompt {
  attemptId: string;
  host: string;
  userCode: string;
  verificationUri: string;
  /** ISO time the code stops working. */
  expiresAt: string;
}

/** Why a sign-in attempt ended without a session. */
export type SignInErrorCode =
  | 'unknown-host' // no ForgeHost with that id is configured
  | 'invalid-host' // the host's URLs are not acceptable (not https, credentials in URL, ...)
  | 'browser-failed' // openExternal rejected
  | 'cancelled' // the app cancelled the attempt
  | 'access-denied' // the user pressed Cancel on the forge's page
  | 'state-mismatch' // kept for compatibility: a wrong-state callback is now refused with a 400 and the attempt goes on
  | 'invalid-callback' // callback without code
  | 'timed-out' // no callback (or device approval) in time
  | 'exchange-failed' // the forge refused the code/verifier or the device code
  | 'forge-unavailable'; // network or 5xx while talking to the forge

export interface SignInError {
  code: SignInErrorCode;
  message: string;
  hint?: string;
}
