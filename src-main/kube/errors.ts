// One error shape for everything that can go wrong talking to a cluster, and the mapping
// from client-node / undici / child_process failures to it. Messages are for humans and
// never include request headers (client-node's ApiException message does: we drop it).

export type KubeErrorKind =
  | 'http' // the API server answered with a Status (status set)
  | 'network' // refused, reset, DNS, TLS, timeout
  | 'exec-plugin-missing'
  | 'exec-plugin-failed'
  | 'exec-plugin-pending' // still running after a while: maybe waiting for a sign-in
  | 'other';

export class KubeRequestError extends Error {
  readonly kind: KubeErrorKind;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  constructor(kind: KubeErrorKind, message: string, opts: { status?: number; reason?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KubeRequestError';
    this.kind = kind;
    this.status = opts.status;
    this.reason = opts.reason;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseStatusBody(body: unknown): { message?: string; reason?: string } {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.length > 0 ? { message: body.slice(0, 500) } : {};
    }
  }
  if (!isRecord(value)) return {};
  const out: { message?: string; reason?: string } = {};
  if (typeof value.message === 'string') out.message = value.message.slice(0, 500);
  if (typeof value.reason === 'string') out.reason = value.reason;
  return out;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function errnoCode(e: unknown): string | undefined {
  // undici wraps socket errors: TypeError('fetch failed', { cause: Error{code} }).
  for (let cur = e, depth = 0; isRecord(cur) && depth < 4; cur = cur.cause, depth += 1) {
    if (typeof cur.code === 'string') return cur.code;
  }
  return undefined;
}

function causeMessage(e: unknown): string {
  let msg = e instanceof Error ? e.message : String(e);
  for (let cur = isRecord(e) ? e.cause : undefined, depth = 0; isRecord(cur) && depth < 3; cur = cur.cause, depth += 1) {
    if (typeof cur.message === 'string' && cur.message) msg = cur.message;
  }
  return msg.split('\n')[0]!.slice(0, 300);
}

/** Normalises any thrown value from an HTTP call (list, watch, discovery). */
export function toKubeRequestError(e: unknown): KubeRequestError {
  if (e instanceof KubeRequestError) return e;
  if (isRecord(e)) {
    // Before the `code` check: a DOMException has a numeric legacy `code` too.
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return new KubeRequestError('network', 'The request timed out', { cause: e });
    // client-node ApiException: numeric `code` plus the response body and headers.
    if (typeof e.code === 'number' && 'headers' in e) {
      const { message, reason } = parseStatusBody(e.body);
      return new KubeRequestError('http', message ?? `HTTP ${e.code}`, { status: e.code, ...(reason ? { reason } : {}), cause: e });
    }
    // client-node Watch: Error(statusText) with `statusCode`.
    if (typeof e.statusCode === 'number') {
      return new KubeRequestError('http', `HTTP ${e.statusCode} ${String(e.message ?? '')}`.trim(), { status: e.statusCode, cause: e });
    }
  }
  const code = errnoCode(e);
  if (code && (NETWORK_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('UND_ERR'))) {
    return new KubeRequestError('network', `${code}: ${causeMessage(e)}`, { cause: e });
  }
  if (e instanceof TypeError && e.message === 'fetch failed') return new KubeRequestError('network', causeMessage(e), { cause: e });
  return new KubeRequestError('other', causeMessage(e), { cause: e });
}

/** Maps a failure of the exec credential plugin (run by client-node before a request). */
export function toExecPluginError(e: unknown, command: string): KubeRequestError {
  const code = errnoCode(e);
  if (code === 'ENOENT' || code === 'EACCES') {
    return new KubeRequestError('exec-plugin-missing', `Credential plugin "${command}" could not be started (${code}). Install it, or start Release Board from a shell where it is on PATH.`, {
      cause: e,
    });
  }
  const detail = (e instanceof Error ? e.message : String(e))
    .trim()
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .slice(-3)
    .join(' ');
  return new KubeRequestError('exec-plugin-failed', `Credential plugin "${command}" failed${detail ? `: ${detail.slice(0, 400)}` : ''}`, { cause: e });
}

/** A short human explanation of what the error means for the board. */
export function describeKubeError(e: KubeRequestError): string {
  if (e.kind !== 'http') return e.message;
  switch (e.status) {
    case 401:
      return `Unauthorized: the credentials for this context were rejected (expired token?)${e.message && !e.message.startsWith('HTTP') ? ` — ${e.message}` : ''}`;
    case 403:
      return `Forbidden: ${e.message}`;
    case 404:
      return `Not found: ${e.message}`;
    default:
      return `HTTP ${e.status}: ${e.message}`;
  }
}
