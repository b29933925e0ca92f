// A log sink that remembers the last few warnings and errors, for "Copy Diagnostics". The
// records arrive already redacted by the logger; diagnosticsText scrubs them again.
import type { LogSink } from '../log/logger';

export interface RecentProblems {
  sink: LogSink;
  /** oldest first, as "[scope] message" */
  list(): string[];
}

export function createRecentProblems(limit = 10): RecentProblems {
  const kept: string[] = [];
  return {
    sink(record) {
      if (record.level !== 'warn' && record.level !== 'error') return;
      kept.push(`[${record.scope}] ${record.message}`);
      if (kept.length > limit) kept.splice(0, kept.length - limit);
    },
    list: () => [...kept],
  };
}
