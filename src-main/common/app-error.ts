// Every code an AppError may carry, as one union: main's handlers, the IPC layer and the
// renderer's bridge can only produce these, and the renderer's error presenter
// (src-renderer/components/error-presenter.ts) must say something for each. A new failure
// means a new member here, which the presenter's exhaustive table then asks for.

import type { PromotionErrorCode } from './promotion';
import type { SignInErrorCode } from './session';

/** Failures of the request path itself (dispatcher, trusted sender, preload bridge). */
export type TransportErrorCode =
  | 'internal' // a handler threw; the message is generic, the log has the rest
  | 'invalid-payload' // the payload failed the channel's zod schema
  | 'unknown-channel'
  | 'untrusted-sender' // not the app's own window, main frame and URL
  | 'no-bridge' // the page runs without window.releaseBoard
  | 'bridge-failed' // the bridge itself threw
  | 'preview-bridge' // the preview harness's HTTP bridge could not reach its server
  | 'not-implemented';

/** Settings, kubeconfig and approvals. */
export type SettingsErrorCode =
  | 'not-available' // the feature does not exist in this process (e.g. no file dialog in the preview)
  | 'approval-declined' // the user said no in main's own dialog
  | 'kubeconfig-missing'
  | 'kubeconfig-malformed'
  | 'kubeconfig-unreadable';

/** Token inspection. */
export type TokenErrorCode =
  | 'tokens-unavailable' // the report could not be built (kubeconfig, cluster)
  | 'not-approvable' // the host is not one main reported as waiting for approval
  | 'invalid-repo-url'
  | 'invalid-host';

/** Batch promotion and the release log. */
export type ReleaseErrorCode =
  | 'batch-busy' // another batch is still being applied
  | 'invalid-range' // a release-log period that is not a valid range
  | 'not-found'; // no such release-log entry

/** Made by the renderer itself from an answer it got. */
export type RendererErrorCode = 'sign-in-failed'; // the promote dialog's sign-in did not end in a session

export type AppErrorCode = TransportErrorCode | SettingsErrorCode | TokenErrorCode | PromotionErrorCode | SignInErrorCode | ReleaseErrorCode | RendererErrorCode;

export interface AppError {
  code: AppErrorCode;
  message: string;
  /** what the user can do about it, when there is something */
  hint?: string;
  /** rate limits: how long to wait before trying again */
  retryAfterSeconds?: number;
}
