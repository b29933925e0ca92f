// The per-cluster request log: counts by route template (what benchmarks compare) and the most
// recent entries with status and user (what tests inspect). Same shape as the forge's log.

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface KubeRequestLogEntry {
  method: string;
  /** as requested, with query */
  path: string;
  /** "GET /apis/g/v/namespaces/{namespace}/plural/{name}", "WATCH …" for watches, "<METHOD> <path>" otherwise */
  route: string;
  /** 0 until the response has been sent */
  status: number;
  user: string | null;
  at: number;
}

/** Same shape as the sandbox forge's request log. */
export interface KubeRequestLog {
  /** the most recent entries (up to 50,000 are kept), optionally for one route */
  entries(route?: string): KubeRequestLogEntry[];
  /** requests since start or the last reset, optionally for one route (exact even past the entry cap) */
  count(route?: string): number;
  /** request counts by route */
  counts(): Record<string, number>;
  reset(): void;
}

const MAX_LOG_ENTRIES = 50_000;

export function createRequestLog(): { log: KubeRequestLog; record(req: IncomingMessage, res: ServerResponse, route: string): KubeRequestLogEntry } {
  let logEntries: KubeRequestLogEntry[] = [];
  let routeCounts = new Map<string, number>();
  let requestCount = 0;

  function record(req: IncomingMessage, res: ServerResponse, route: string): KubeRequestLogEntry {
    requestCount++;
    routeCounts.set(route, (routeCounts.get(route) ?? 0) + 1);
    const entry: KubeRequestLogEntry = { method: req.method ?? 'GET', path: req.url ?? '/', route, status: 0, user: null, at: Date.now() };
    logEntries.push(entry);
    if (logEntries.length > MAX_LOG_ENTRIES * 1.2) logEntries = logEntries.slice(-MAX_LOG_ENTRIES);
    // Set when the response ends; for a watch that is when its stream closes.
    const setStatus = (): void => {
      entry.status = res.statusCode;
    };
    res.once('finish', setStatus);
    res.once('close', setStatus);
    return entry;
  }

  const requestLog: KubeRequestLog = {
    entries(route) {
      return logEntries.filter((e) => route === undefined || e.route === route);
    },
    count(route) {
      return route === undefined ? requestCount : (routeCounts.get(route) ?? 0);
    },
    counts() {
      return Object.fromEntries(routeCounts);
    },
    reset() {
      logEntries = [];
      routeCounts = new Map();
      requestCount = 0;
    },
  };

  return { log: requestLog, record };
}
