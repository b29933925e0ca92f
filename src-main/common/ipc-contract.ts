// The IPC contract: every request channel (renderer → main) and event channel
// (main → renderer) is declared here, once. The preload bridge, the main-side
// registration and the renderer client are all derived from these declarations,
// so a channel without a handler or schema fails to compile.
//
// This module is shared with the renderer: types and constant data only.

import type { AppInfo } from './app-info';
import type { BoardChange, BoardSnapshot } from './board';
import type { ForgeCapabilities } from './forges';
import type { BatchProgress, BatchPromotion, PromotionPlan, PromotionProgress, PromotionRequest, PromotionResult } from './promotion';
import type { ReleaseLog, ReleaseLogFormat, ReleaseLogQuery } from './release-log';
import type { RollbackRequest } from './rollback';
import type { DeviceCodePrompt, ForgeHostSummary, SessionInfo, SignInError } from './session';
import type { TokenReport } from './tokens';
import type { SettingsPatch, SettingsView } from './settings';
import type { UpdateState } from './update';
import type { Result } from './result';

/** Request channels: name → payload sent by the renderer and value returned by main. */
export interface RequestChannels {
  'app:get-info': { payload: void; value: AppInfo };
  /** The whole board now; afterwards 'board:changed' events carry per-pipeline changes. */
  'board:subscribe': { payload: void; value: BoardSnapshot };
  /** Forge hosts the user can sign in to (no client secrets). */
  'auth:list-hosts': { payload: void; value: ForgeHostSummary[] };
  'auth:list-sessions': { payload: void; value: SessionInfo[] };
  /** Opens the system browser and resolves once signed in, cancelled or failed. */
  'auth:sign-in': { payload: { host: string }; value: SessionInfo };
  /** Starts a device-flow sign-in; 'auth:device-sign-in-finished' tells how it ended. */
  'auth:start-device-sign-in': { payload: { host: string }; value: DeviceCodePrompt };
  /** Cancels running sign-in attempts for a host; the value is how many. */
  'auth:cancel-sign-in': { payload: { host: string }; value: number };
  'auth:sign-out': { payload: { host: string }; value: null };
  /** Reads the config repo and computes the exact line changes; writes nothing. */
  'promotion:plan': { payload: PromotionRequest; value: PromotionPlan };
  /** Writes the planned change and opens (or updates) the PR; 'promotion:progressed' reports steps. */
  'promotion:apply': { payload: { planId: string }; value: PromotionResult };
  'promotion:discard-plan': { payload: { planId: string }; value: null };
  /** The tokens behind automated promotions (reused for a few minutes). */
  'tokens:list': { payload: void; value: TokenReport };
  /** Inspects one token again (key: fingerprint or "secret:…"). */
  'tokens:recheck': { payload: { key: string }; value: TokenReport };
  /** Re-reads every Secret and inspects every token again. */
  'tokens:refresh': { payload: void; value: TokenReport };
  /**
   * Approves a Git host for token checks. Main accepts only a host its own report shows as
   * "not approved", asks the user itself where it can (a native dialog naming the host), saves
   * the approval in settings and checks again.
   */
  'tokens:approve-host': { payload: { host: string }; value: TokenReport };
  'update:get-state': { payload: void; value: UpdateState };
  /** Checks for an update now (never installs). */
  'update:check': { payload: void; value: UpdateState };
  /** Restarts into a downloaded update: only ever called after the user said so. */
  'update:install': { payload: void; value: null };
  'settings:get': { payload: void; value: SettingsView };
  /** Validates, saves and applies a change (overrides and toggles at once; kubeconfig only back to the default). */
  'settings:update': { payload: SettingsPatch; value: SettingsView };
  /** Lets the user pick a kubeconfig file in main's own open dialog (the renderer never names a path). */
  'settings:choose-kubeconfig': { payload: void; value: SettingsView };
  /** Shows the kubeconfig's unapproved credential plugins in main's own dialog and, if the user agrees, lets them run. */
  'settings:approve-exec-plugins': { payload: void; value: SettingsView };
  /** What each forge main supports (names, PR wording, device flow): the renderer keeps no list of its own. */
  'forges:list-capabilities': { payload: void; value: ForgeCapabilities[] };
  /** Plans several promotions at once (each row as for promotion:plan); writes nothing. */
  'promotion:plan-batch': { payload: { rows: PromotionRequest[] }; value: BatchPromotion };
  /** Opens one PR per planned row of a reviewed batch (bounded concurrency); 'promotion:batch-progressed' reports rows. */
  'promotion:apply-batch': { payload: { batchId: string }; value: BatchPromotion };
  /** Plans and applies again the failed rows of a batch, and only those. */
  'promotion:retry-batch': { payload: { batchId: string }; value: BatchPromotion };
  'promotion:discard-batch': { payload: { batchId: string }; value: null };
  /** Plans a rollback PR: main derives the previous version from the targets' history; apply with 'promotion:apply'. */
  'promotion:plan-rollback': { payload: RollbackRequest; value: PromotionPlan };
  /** Merged promotion PRs joined with the targets' release history, for a time range. */
  'releases:list': { payload: ReleaseLogQuery; value: ReleaseLog };
  /** Saves the log as CSV or Markdown where the user says in main's own save dialog (saved: false when cancelled). */
  'releases:export': { payload: ReleaseLogQuery & { format: ReleaseLogFormat }; value: { saved: boolean; fileName: string } };
}

/** Event channels: name → payload pushed by main. Names are past tense. */
export interface EventChannels {
  'app:info-changed': AppInfo;
  'board:changed': BoardChange;
  'auth:session-changed': SessionInfo[];
  'auth:device-sign-in-finished': { attemptId: string; host: string; ok: boolean; session?: SessionInfo; error?: SignInError };
  'promotion:progressed': PromotionProgress;
  'tokens:changed': TokenReport;
  'update:state-changed': UpdateState;
  /** A notification was clicked: the board should bring that cell into view. */
  'board:focus-requested': { pipelineId: string; environment: string };
  'settings:changed': SettingsView;
  /** The app menu's Settings… item: the renderer opens its settings dialog. */
  'settings:open-requested': null;
  'promotion:batch-progressed': BatchProgress;
}

export type RequestChannel = keyof RequestChannels;
export type EventChannel = keyof EventChannels;
export type RequestPayload<C extends RequestChannel> = RequestChannels[C]['payload'];
export type RequestValue<C extends RequestChannel> = RequestChannels[C]['value'];

// Runtime lists, checked against the interfaces in both directions: a name missing
// here or present here but not above is a type error.
type ExactKeys<T, L extends readonly PropertyKey[]> = [Exclude<keyof T, L[number]>, Exclude<L[number], keyof T>] extends [never, never] ? L : never;

const requestChannelList = [
  'app:get-info',
  'board:subscribe',
  'auth:list-hosts',
  'auth:list-sessions',
  'auth:sign-in',
  'auth:start-device-sign-in',
  'auth:cancel-sign-in',
  'auth:sign-out',
  'promotion:plan',
  'promotion:apply',
  'promotion:discard-plan',
  'tokens:list',
  'tokens:recheck',
  'tokens:refresh',
  'tokens:approve-host',
  'update:get-state',
  'update:check',
  'update:install',
  'settings:get',
  'settings:update',
  'settings:choose-kubeconfig',
  'settings:approve-exec-plugins',
  'forges:list-capabilities',
  'promotion:plan-batch',
  'promotion:apply-batch',
  'promotion:retry-batch',
  'promotion:discard-batch',
  'promotion:plan-rollback',
  'releases:list',
  'releases:export',
] as const;
const eventChannelList = [
  'app:info-changed',
  'board:changed',
  'auth:session-changed',
  'auth:device-sign-in-finished',
  'promotion:progressed',
  'tokens:changed',
  'update:state-changed',
  'board:focus-requested',
  'settings:changed',
  'settings:open-requested',
  'promotion:batch-progressed',
] as const;

export const requestChannels: ExactKeys<RequestChannels, typeof requestChannelList> = requestChannelList;
export const eventChannels: ExactKeys<EventChannels, typeof eventChannelList> = eventChannelList;

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (requestChannels as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (eventChannels as readonly string[]).includes(value);
}

/** The API the preload exposes as window.releaseBoard (and the preview harness imitates). */
export interface ReleaseBoardBridge {
  request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<RequestValue<C>>>;
  /** Subscribe to an event channel; returns the unsubscribe function. */
  on<C extends EventChannel>(channel: C, listener: (payload: EventChannels[C]) => void): () => void;
}
