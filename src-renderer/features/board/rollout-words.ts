// Words for a rollout timeline (pure, unit-tested): the cell's compact indicator and the
// detail panel's steps, oldest first.
import type { RolloutTargetStep, RolloutTimeline } from '../../../src-main/common/board';

export type RolloutTone = 'ok' | 'bad' | 'warn' | 'progress';

/**
 * The cell's indicator: "Rolling out 1.8.2 · 1/2", "Rolled out 1.8.2 · 2/2"... and its short form
 * for compact rows, a state mark and the count ("↻ 1/2"), which is what must never be cut there.
 */
export function rolloutIndicator(t: RolloutTimeline): { text: string; short: string; tone: RolloutTone } {
  const count = `${t.done}/${t.total}`;
  switch (t.state) {
    case 'healthy':
      return { text: `Rolled out ${t.version} · ${count}`, short: `✓ ${count}`, tone: 'ok' };
    case 'failed':
      return { text: `Rollout of ${t.version} failed · ${count}`, short: `✗ ${count}`, tone: 'bad' };
    case 'stuck':
      return { text: `${t.version} not reconciling · ${count}`, short: `! ${count}`, tone: 'warn' };
    case 'rolling-out':
      return { text: `Rolling out ${t.version} · ${count}`, short: `↻ ${count}`, tone: 'progress' };
  }
}

export interface RolloutStep {
  at?: string;
  text: string;
  tone: RolloutTone | 'idle';
}

function where(s: RolloutTargetStep): string {
  return `${s.cluster}/${s.namespace}`;
}

/** merged → each target reconciling → healthy or failed, in time order; targets still waiting last. */
export function rolloutSteps(t: RolloutTimeline, prRef: string): RolloutStep[] {
  const timed: RolloutStep[] = [{ at: t.mergedAt, text: `${prRef} merged: ${t.version}`, tone: 'ok' }];
  const open: RolloutStep[] = [];
  for (const s of t.targets) {
    if (s.reconcilingAt) timed.push({ at: s.reconcilingAt, text: `${where(s)} reconciling ${t.version}`, tone: 'progress' });
    if (s.healthyAt) timed.push({ at: s.healthyAt, text: `${where(s)} healthy on ${t.version}`, tone: 'ok' });
    if (s.failedAt) timed.push({ at: s.failedAt, text: `${where(s)} failed${s.message ? `: ${s.message}` : ''}`, tone: 'bad' });
    if (s.phase === 'waiting') open.push({ text: `${where(s)} waiting for Flux`, tone: 'idle' });
    if (s.phase === 'not-reconciling') open.push({ text: `${where(s)}: ${s.message ?? 'not reconciling'}`, tone: 'warn' });
  }
  // ISO times of one format sort as text; a stable sort keeps merged → reconciling → healthy on ties
  return [...timed.sort((a, b) => (a.at! < b.at! ? -1 : a.at! > b.at! ? 1 : 0)), ...open];
}
