// The error every sign-in flow ends with when it ends without a grant, and the browser hook.
// Its own module so forge-specific OAuth code and the generic flows can share it without
// importing each other.

import type { SignInError, SignInErrorCode } from '../common/session';

export class SignInFailure extends Error implements SignInError {
  override readonly name = 'SignInFailure';
  constructor(
    readonly code: SignInErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export type OpenExternal = (url: string) => Promise<void> | void;
