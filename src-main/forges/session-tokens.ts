// What code that calls a forge on the user's behalf (promotion, PR discovery, the GitLab
// token inspector) needs from the session vault: who is signed in and a token lent for one
// call. Declared here, below auth, git and tokens, so those folders share it without
// importing each other; auth/session-vault.ts implements it.

import type { SessionInfo } from '../common/session';

/** Thrown by `withToken` when the host has no usable session. */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
  readonly code = 'sign-in-required';
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SessionTokens {
  get(hostId: string): SessionInfo | undefined;
  /** Runs fn with a valid access token for the host (refreshing first if it is about to expire). */
  withToken<T>(hostId: string, fn: (token: string) => Promise<T>): Promise<T>;
}
