// Time as a dependency: sign-in timeouts, device-flow polling and token refresh take a
// Timers object so tests drive them without waiting for wall-clock time.

export interface Timers {
  now(): number;
  /** Schedules fn after ms; returns a cancel function. Must not keep the process alive. */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // setTimeout overflows above 2^31-1 ms (~24.8 days): clamp, a later re-check reschedules
    const handle = setTimeout(fn, Math.min(Math.max(ms, 0), 2_147_483_647));
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

/** Resolves after ms (per the given timers), or rejects with the signal's reason when aborted. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
