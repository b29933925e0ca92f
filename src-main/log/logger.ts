// A small levelled logger. Every line passes through redactSecrets before it reaches a
// sink, so a token that slips into a message never reaches a console or a log file.
import { redactSecrets } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  time: string;
  level: LogLevel;
  scope: string;
  message: string;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(scope: string, message: string): void;
  info(scope: string, message: string): void;
  warn(scope: string, message: string): void;
  error(scope: string, message: string): void;
}

export function formatLogRecord(record: LogRecord): string {
  return `${record.time} ${record.level.toUpperCase().padEnd(5)} [${record.scope}] ${record.message}`;
}

export const consoleSink: LogSink = (record) => {
  const line = formatLogRecord(record);
  if (record.level === 'error' || record.level === 'warn') console.error(line);
  else console.log(line);
};

export function createLogger(options: { level?: LogLevel; sinks?: LogSink[]; now?: () => Date } = {}): Logger {
  const minimum = levelRank[options.level ?? 'info'];
  const sinks = options.sinks ?? [consoleSink];
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, scope: string, message: string) => {
    if (levelRank[level] < minimum) return;
    const record: LogRecord = { time: now().toISOString(), level, scope, message: redactSecrets(message) };
    for (const sink of sinks) sink(record);
  };
  return {
    debug: (scope, message) => write('debug', scope, message),
    info: (scope, message) => write('info', scope, message),
    warn: (scope, message) => write('warn', scope, message),
    error: (scope, message) => write('error', scope, message),
  };
}

/** A logger that keeps records in memory: for tests and for diagnostics views. */
export function createMemoryLogger(level: LogLevel = 'debug'): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(createLogger({ level, sinks: [(r) => records.push(r)] }), { records });
}
