// Retry delays for everything in the data plane that calls a cluster again after a failure
// (list/watch, discovery, GitopsCluster Secret reads): one rule, so they back off alike.

export interface BackoffOptions {
  /** Cap of the first retry (default 500 ms). */
  initialMs?: number;
  /** Largest cap (default 30 s). */
  maxMs?: number;
}

const DEFAULT_INITIAL_MS = 500;
const DEFAULT_MAX_MS = 30_000;

/**
 * The wait before retry number `failures` (1 for the first): the cap doubles per failure up to
 * maxMs (or starts there for a failure retrying will not fix soon), and the wait is drawn
 * between half and all of the cap ("equal jitter") so many clients do not reconnect in step.
 * `random` returns a number in [0, 1); tests pass a fixed one.
 */
export function backoffDelay(failures: number, options: BackoffOptions = {}, random: () => number = Math.random, atMax = false): number {
  const initial = options.initialMs ?? DEFAULT_INITIAL_MS;
  const max = options.maxMs ?? DEFAULT_MAX_MS;
  const cap = atMax ? max : Math.min(max, initial * 2 ** Math.min(Math.max(failures, 1) - 1, 20));
  return cap / 2 + random() * (cap / 2);
}
