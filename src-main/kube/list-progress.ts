// When a list body last delivered bytes, process-wide. A list of tens of thousands of objects
// is on the wire for many seconds; the initial-load gate reads this so a cluster that is
// streaming a large answer is not mistaken for one that went silent.

let lastProgressAt = Number.NEGATIVE_INFINITY;

/** A list response delivered a chunk (Date.now() milliseconds). */
export function noteListProgress(at: number = Date.now()): void {
  lastProgressAt = at;
}

/** Date.now() of the last chunk any list delivered; -Infinity before the first. */
export function lastListProgressAt(): number {
  return lastProgressAt;
}
