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

/** A manual clock (time as an input): timers fire only when advanced. For tests and replays. */
export function manualTimers(start = Date.now()) {
  let now = start;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number) {
      const id = ++seq;
      pending.set(id, { at: now + Math.max(ms, 0), fn });
      return () => {
        pending.delete(id);
      };
    },
    /** Moves time forward, firing due timers in order. */
    advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = target;
    },
    pendingDelays: () => [...pending.values()].map((t) => t.at - now),
  };
}
