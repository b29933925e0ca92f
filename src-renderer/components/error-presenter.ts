// The one place that turns an AppError into what the user reads and can do: a title per code,
// the message main wrote, main's hint (or a default one), and the action that helps. The table
// is a Record over AppErrorCode, so a new code in src-main/common/app-error.ts does not compile
// until it is given words here. Features may say more (the promote dialog shows the marker it
// looked for); they start from this.
import type { AppError, AppErrorCode } from '../../src-main/common/app-error';

/** What the user can do: try the same again, sign in, open settings, reload the window, wait, or nothing. */
export type ErrorAction = 'retry' | 'sign-in' | 'open-settings' | 'reload' | 'wait' | 'none';

export interface ErrorPresentation {
  title: string;
  message: string;
  hint?: string;
  action: ErrorAction;
  /** For 'wait': how long, in words ("30 s", "2 min"). */
  waitFor?: string;
}

interface Words {
  title: string;
  action: ErrorAction;
  hint?: string;
}

const WORDS: Record<AppErrorCode, Words> = {
  internal: { title: 'Something went wrong in Release Board', action: 'retry', hint: 'Try again; if it keeps failing, copy the diagnostics from the About panel.' },
  'invalid-payload': { title: 'Release Board refused its own request', action: 'none' },
  'unknown-channel': { title: 'Release Board refused its own request', action: 'reload' },
  'untrusted-sender': { title: 'This window may not talk to Release Board', action: 'reload' },
  'no-bridge': { title: 'Not connected to Release Board', action: 'reload' },
  'bridge-failed': { title: 'The connection to Release Board failed', action: 'reload' },
  'preview-bridge': { title: 'The preview server cannot be reached', action: 'reload' },
  'not-implemented': { title: 'Not available in this version', action: 'none' },
  'not-available': { title: 'Not available here', action: 'none' },
  'approval-declined': { title: 'Not approved', action: 'none' },
  'kubeconfig-missing': { title: 'No kubeconfig found', action: 'open-settings', hint: 'Choose a kubeconfig file in the settings, or set KUBECONFIG as for kubectl.' },
  'kubeconfig-malformed': { title: 'The kubeconfig cannot be read', action: 'open-settings' },
  'kubeconfig-unreadable': { title: 'The kubeconfig cannot be opened', action: 'open-settings' },
  'tokens-unavailable': { title: 'Token status could not be read', action: 'retry' },
  'not-approvable': { title: 'This Git host cannot be approved', action: 'retry' },
  'invalid-repo-url': { title: 'The repository URL cannot be used', action: 'none' },
  'invalid-host': { title: 'The Git host is not configured correctly', action: 'open-settings' },
  'not-eligible': { title: 'This promotion is not possible now', action: 'none' },
  'invalid-request': { title: 'The promotion request is not valid', action: 'none' },
  'unsupported-provider': { title: 'This Git host cannot be promoted through', action: 'none' },
  'unknown-host': { title: 'No Git host configured for this repository', action: 'open-settings' },
  'sign-in-required': { title: 'Sign in to continue', action: 'sign-in' },
  'sign-in-failed': { title: 'The sign-in did not finish', action: 'sign-in' },
  'no-access': { title: 'No access to the repository', action: 'retry' },
  'rate-limited': { title: 'The Git host is rate-limiting requests', action: 'wait' },
  'marker-not-found': { title: 'No promotion marker found', action: 'retry' },
  'marker-unsupported': { title: 'A marker cannot be edited safely', action: 'retry' },
  'already-at-version': { title: 'Nothing to change', action: 'none' },
  conflict: { title: 'The Git host refused the change', action: 'retry' },
  'forge-unavailable': { title: 'The Git host cannot be reached', action: 'retry', hint: 'Nothing half-made was left behind; try again in a moment.' },
  'plan-expired': { title: 'This promotion plan is no longer valid', action: 'retry' },
  'browser-failed': { title: 'The browser could not be opened', action: 'retry' },
  cancelled: { title: 'Sign-in cancelled', action: 'none' },
  'access-denied': { title: 'Access was not granted', action: 'sign-in' },
  'state-mismatch': { title: 'The sign-in answer did not match', action: 'sign-in' },
  'invalid-callback': { title: 'The sign-in answer was incomplete', action: 'sign-in' },
  'timed-out': { title: 'The sign-in took too long', action: 'sign-in' },
  'exchange-failed': { title: 'The Git host refused the sign-in', action: 'sign-in' },
  'batch-busy': { title: 'Another batch is still being applied', action: 'wait' },
  'invalid-range': { title: 'That period cannot be shown', action: 'none' },
  'not-found': { title: 'Not found', action: 'none' },
};

/** "45 s", "2 min". */
export function waitWords(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

export function presentError(error: AppError): ErrorPresentation {
  // an unknown code can still arrive from an older main or a bad answer: say something true
  const words: Words = (Object.hasOwn(WORDS, error.code) ? WORDS[error.code] : undefined) ?? { title: 'Something went wrong', action: 'retry' };
  const hint = error.hint ?? words.hint;
  const wait = words.action === 'wait' && error.retryAfterSeconds ? { waitFor: waitWords(error.retryAfterSeconds) } : {};
  return { title: words.title, message: error.message, ...(hint ? { hint } : {}), action: words.action, ...wait };
}
