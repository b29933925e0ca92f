// A value with a revision that moves only when the value really changes, so consumers ask
// "did it change since I last looked?" by comparing two numbers instead of serializing both
// sides on every flush.

import { isDeepStrictEqual } from 'node:util';

export class Versioned<T> {
  private current: T;
  private rev = 0;

  constructor(initial: T) {
    this.current = initial;
  }

  get value(): T {
    return this.current;
  }

  /** Increases by one on every real change. */
  get revision(): number {
    return this.rev;
  }

  /** Replaces the value; returns whether it differed (deep, structural comparison). */
  set(next: T): boolean {
    if (isDeepStrictEqual(next, this.current)) return false;
    this.current = next;
    this.rev += 1;
    return true;
  }
}

/** Remembers the last revision a consumer saw of a Versioned value. */
export class RevisionCursor<T> {
  private seen: number;

  constructor(private readonly source: Versioned<T>) {
    this.seen = source.revision;
  }

  /** The value when it changed since the last call, else undefined. */
  takeChange(): T | undefined {
    if (this.source.revision === this.seen) return undefined;
    this.seen = this.source.revision;
    return this.source.value;
  }
}
