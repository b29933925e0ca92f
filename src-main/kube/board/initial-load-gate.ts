// The first full build waits for every list the board needs (discovery, Pipelines,
// GitopsClusters, then the workloads those Pipelines name) so rows are built once instead of
// once per arriving list; building 1,000+ rows is the costliest step of a load. A cluster that
// is slow to answer must not keep the board blank: the wait ends when nothing has answered for
// quietMs (a stuck cluster), and after maxMs in any case. A list body still arriving counts as
// an answer (lastProgressAt): at 10,000 pipelines one list is on the wire for many seconds, and
// cutting the load into a partial build of "Loading…" rows and full rebuilds as each list lands
// cost more CPU than the build itself (docs/benchmarks.md).

import { lastListProgressAt } from '../list-progress';

export interface InitialLoadGateOptions {
  /** Called when a held load should be looked at again (the quiet or maximum time passed). */
  onDue: () => void;
  quietMs?: number;
  maxMs?: number;
  /** Milliseconds clock; tests drive it. */
  now?: () => number;
  /** When a list body last delivered bytes, on the same clock as `now` (default: any list in this process). */
  lastProgressAt?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Work done while the initial load is held (reading Pipelines for the lists they need, reading
 * workloads that arrived) runs in slices of this long, so a large list being parsed does not
 * keep other clusters' requests from going out.
 */
export const HOLD_SLICE_MS = 12;

export const INITIAL_HOLD_QUIET_MS = 1_500;
/** A backstop for lists that trickle: past it the board shows what it has. */
export const INITIAL_HOLD_MAX_MS = 30_000;

export class InitialLoadGate {
  private readonly startedAt: number;
  private lastAnswerAt: number;
  private open = false;
  private timer: unknown;
  private readonly now: () => number;
  private readonly quietMs: number;
  private readonly maxMs: number;
  private readonly lastProgressAt: () => number;

  constructor(private readonly opts: InitialLoadGateOptions) {
    this.now = opts.now ?? Date.now;
    this.quietMs = opts.quietMs ?? INITIAL_HOLD_QUIET_MS;
    this.maxMs = opts.maxMs ?? INITIAL_HOLD_MAX_MS;
    this.lastProgressAt = opts.lastProgressAt ?? lastListProgressAt;
    this.startedAt = this.now();
    this.lastAnswerAt = this.startedAt;
  }

  /** True until the first full build was allowed. */
  get holding(): boolean {
    return !this.open;
  }

  /** A discovery, list or Secret read answered (success or failure). */
  noteAnswer(): void {
    this.lastAnswerAt = this.now();
  }

  /** Whether waiting any longer is pointless: too long overall, or nothing answered lately. */
  expired(): boolean {
    const t = this.now();
    return t - this.startedAt >= this.maxMs || t - this.lastActivityAt() >= this.quietMs;
  }

  private lastActivityAt(): number {
    return Math.max(this.lastAnswerAt, this.lastProgressAt());
  }

  /** Keeps holding; arms one timer for when the wait would expire. Returns true (still held). */
  hold(): true {
    if (this.timer !== undefined || this.open) return true;
    const due = Math.min(this.startedAt + this.maxMs, this.lastActivityAt() + this.quietMs);
    const setTimer = this.opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.timer = setTimer(
      () => {
        this.timer = undefined;
        this.opts.onDue();
      },
      Math.max(0, due - this.now()) + 1,
    );
    return true;
  }

  /**
   * Ends a hold flush whose time slice ran out: the work done so far is cached, and the event
   * loop gets to answer the sockets (TLS handshakes, discovery of the clusters just found, list
   * bodies arriving) before the next slice (onDue). Our own progress counts as activity for the
   * quiet time, which is there to notice silent clusters, not a busy thread. Returns true (held).
   */
  yieldSlice(): true {
    this.noteAnswer();
    this.opts.onDue();
    return true;
  }

  /** Lets the build through, for good. Returns false (no longer held). */
  release(): false {
    this.open = true;
    this.cancelTimer();
    return false;
  }

  stop(): void {
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    const clearTimer = this.opts.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
    clearTimer(this.timer);
    this.timer = undefined;
  }
}
