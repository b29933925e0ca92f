// The IPC contract: every request channel (renderer → main) and event channel
// (main → renderer) is declared here, once. The preload bridge, the main-side
// registration and the renderer client are all derived from these declarations,
// so a channel without a handler or schema fails to compile.
//
// This module is shared with the renderer: types and constant data only.

import type { AppInfo } from './app-info';
import type { BoardChange, BoardSnapshot } from './board';
import type { Result } from './result';

/** Request channels: name → payload sent by the renderer and value returned by main. */
export interface RequestChannels {
  'app:get-info': { payload: void; value: AppInfo };
  /** The whole board now; afterwards 'board:changed' events carry per-pipeline changes. */
  'board:subscribe': { payload: void; value: BoardSnapshot };
}

/** Event channels: name → payload pushed by main. Names are past tense. */
export interface EventChannels {
  'app:info-changed': AppInfo;
  'board:changed': BoardChange;
}

export type RequestChannel = keyof RequestChannels;
export type EventChannel = keyof EventChannels;
export type RequestPayload<C extends RequestChannel> = RequestChannels[C]['payload'];
export type RequestValue<C extends RequestChannel> = RequestChannels[C]['value'];

// Runtime lists, checked against the interfaces in both directions: a name missing
// here or present here but not above is a type error.
type ExactKeys<T, L extends readonly PropertyKey[]> = [Exclude<keyof T, L[number]>, Exclude<L[number], keyof T>] extends [never, never]
  ? L
  : never;

const requestChannelList = ['app:get-info', 'board:subscribe'] as const;
const eventChannelList = ['app:info-changed', 'board:changed'] as const;

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
