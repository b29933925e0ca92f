// The sandbox's one notion of time. Every server, seed and fixture takes a `now` function
// (the same shape as the Flux simulator's Clock.now), so a test can pin time or move it, and
// so nothing in the sandbox carries a calendar date that one day passes.

export type Now = () => Date;

/** The machine's clock: the default everywhere a caller does not inject one. */
export const systemNow: Now = () => new Date();

const DAY_MS = 86_400_000;

/** `now` moved by whole days (negative: the past), as ISO-8601 with whole seconds. */
export function isoDaysFrom(now: Date, days: number): string {
  return isoSeconds(new Date(now.getTime() + days * DAY_MS));
}

/** ISO-8601 with whole seconds ("2026-01-05T09:00:00Z"), as GitHub and Kubernetes write times. */
export function isoSeconds(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * When seeded history (initial commits, seeded users) happened: 30 days before `now`, at the
 * start of that UTC day. Relative, so it never lies in the future of the clock; whole days, so
 * seeded commit SHAs stay the same across runs on the same day and for a pinned clock.
 */
export function seedHistoryDate(now: Date): string {
  const day = Math.floor(now.getTime() / DAY_MS) - 30;
  return isoSeconds(new Date(day * DAY_MS));
}

/** `now` moved by whole days, as a date only ("2026-01-05"), as GitLab writes `expires_at`. */
export function isoDateFrom(now: Date, days: number): string {
  return isoDaysFrom(now, days).slice(0, 10);
}

/** A clock that reads `start` now and then runs at the machine's pace (`npm run sandbox -- --now`). */
export function clockStartingAt(start: Date, system: Now = systemNow): Now {
  const offset = start.getTime() - system().getTime();
  return () => new Date(system().getTime() + offset);
}
