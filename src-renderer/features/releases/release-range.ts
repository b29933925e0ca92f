// Time ranges of the release log: presets relative to now, or a custom pair of dates (local
// days, the end day inclusive). Pure: turned into the ISO range main is asked for.
import { RELEASE_LOG_MAX_DAYS } from '../../../src-main/common/release-log';

export const RANGE_PRESETS = ['24h', '7d', '30d', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const RANGE_LABELS: Record<RangePreset, string> = { '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', custom: 'Custom range' };

const HOUR = 3_600_000;
const PRESET_MS: Record<Exclude<RangePreset, 'custom'>, number> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

export interface RangeChoice {
  preset: RangePreset;
  /** custom only: local dates, "YYYY-MM-DD" */
  fromDay?: string;
  toDay?: string;
}

/** The ISO range for a choice, or a sentence saying what is wrong with a custom one. */
export function rangeFor(choice: RangeChoice, now: number): { from: string; to: string } | { error: string } {
  if (choice.preset !== 'custom') return { from: new Date(now - PRESET_MS[choice.preset]).toISOString(), to: new Date(now).toISOString() };
  const from = choice.fromDay ? new Date(`${choice.fromDay}T00:00:00`) : undefined;
  const to = choice.toDay ? new Date(`${choice.toDay}T23:59:59.999`) : undefined;
  if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return { error: 'Pick a start and an end day.' };
  if (from > to) return { error: 'The start day is after the end day.' };
  if (to.getTime() - from.getTime() > RELEASE_LOG_MAX_DAYS * 24 * HOUR) return { error: `Pick at most ${RELEASE_LOG_MAX_DAYS} days.` };
  return { from: from.toISOString(), to: to.toISOString() };
}
