import { describe, expect, it } from 'vitest';
import { InitialLoadGate } from './initial-load-gate';

function manualClock() {
  let t = 1_000;
  const timers: { fn: () => void; at: number }[] = [];
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
      for (const timer of timers.filter((x) => x.at <= t)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
    },
    setTimer: (fn: () => void, ms: number) => {
      const timer = { fn, at: t + ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle: unknown) => {
      const i = timers.indexOf(handle as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
    pending: () => timers.length,
  };
}

describe('InitialLoadGate', () => {
  it('a yielded slice asks to be looked at again and counts as activity, so a busy parse is not taken for a silent cluster', () => {
    const clock = manualClock();
    let due = 0;
    const gate = new InitialLoadGate({ onDue: () => (due += 1), quietMs: 100, maxMs: 10_000, ...clock });
    clock.advance(90);
    expect(gate.yieldSlice()).toBe(true);
    expect(due).toBe(1);
    clock.advance(90); // 180 ms since start, but only 90 since the slice
    expect(gate.expired()).toBe(false);
    expect(gate.holding).toBe(true);
  });

  it('holds while clusters keep answering, then expires when they go quiet', () => {
    const clock = manualClock();
    let due = 0;
    const gate = new InitialLoadGate({ onDue: () => (due += 1), quietMs: 100, maxMs: 1_000, ...clock });
    expect(gate.holding).toBe(true);
    expect(gate.expired()).toBe(false);
    gate.hold();
    gate.hold(); // one timer, not one per call
    expect(clock.pending()).toBe(1);
    clock.advance(60);
    gate.noteAnswer();
    clock.advance(60);
    expect(gate.expired()).toBe(false); // answered 60 ms ago
    expect(due).toBe(1); // the timer armed before the answer fired: the owner looks again
    gate.hold();
    clock.advance(101);
    expect(due).toBe(2);
    expect(gate.expired()).toBe(true);
  });

  it('a list body still arriving counts as activity: a long transfer is not taken for a silent cluster', () => {
    const clock = manualClock();
    let progressAt = Number.NEGATIVE_INFINITY;
    let due = 0;
    const gate = new InitialLoadGate({ onDue: () => (due += 1), quietMs: 100, maxMs: 10_000, lastProgressAt: () => progressAt, ...clock });
    gate.hold();
    for (let i = 0; i < 10; i += 1) {
      clock.advance(80); // no list answered, but bytes keep coming
      progressAt = clock.now();
    }
    expect(gate.expired()).toBe(false);
    gate.hold(); // the earlier timer fired; it re-arms from the last progress
    clock.advance(101); // the transfer stalled
    expect(gate.expired()).toBe(true);
    expect(due).toBeGreaterThanOrEqual(2);
  });

  it('expires after the maximum time even while answers keep coming', () => {
    const clock = manualClock();
    const gate = new InitialLoadGate({ onDue: () => undefined, quietMs: 100, maxMs: 300, ...clock });
    for (let i = 0; i < 6; i += 1) {
      clock.advance(50);
      gate.noteAnswer();
    }
    expect(gate.expired()).toBe(true);
  });

  it('stays open once released and cancels its timer', () => {
    const clock = manualClock();
    let due = 0;
    const gate = new InitialLoadGate({ onDue: () => (due += 1), quietMs: 100, maxMs: 300, ...clock });
    gate.hold();
    expect(gate.release()).toBe(false);
    expect(gate.holding).toBe(false);
    expect(clock.pending()).toBe(0);
    gate.hold(); // a late call does not re-arm
    clock.advance(1_000);
    expect(due).toBe(0);
  });
});
