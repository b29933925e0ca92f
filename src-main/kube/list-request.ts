// One GET of a Kubernetes list, on node:https with the kubeconfig's own agent (CA, client
// certificate, proxy) and headers (token, exec plugin credential), kept as bytes while it
// arrives, then decoded and JSON-parsed once. client-node's generated API reads the same body
// through undici's fetch and web streams, which at board scale cost about as much CPU as the
// parse itself (see docs/benchmarks.md); this is the whole of what a list needs.
//
// Objects are trimmed as they are stored: `metadata.managedFields` and kubectl's
// last-applied annotation are bookkeeping the board never reads, and on real clusters often
// the larger part of an object, which the reflector would otherwise keep for every item.

import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError, toKubeRequestError } from './errors';
import { noteListProgress } from './list-progress';

/** Same limit undici applies to headers and body by default, so a hung server fails the same. */
const LIST_TIMEOUT_MS = 300_000;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusError(status: number, body: string): KubeRequestError {
  let message: string | undefined;
  let reason: string | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) {
      if (typeof parsed.message === 'string') message = parsed.message.slice(0, 500);
      if (typeof parsed.reason === 'string') reason = parsed.reason;
    }
  } catch {
    if (body.length > 0) message = body.slice(0, 500);
  }
  return new KubeRequestError('http', message ?? `HTTP ${status}`, { status, ...(reason ? { reason } : {}) });
}

/** Drops what the board never reads from a listed or watched object (in place). */
export function trimObject(item: unknown): void {
  if (!isRecord(item) || !isRecord(item.metadata)) return;
  const metadata = item.metadata;
  if (metadata.managedFields !== undefined) delete metadata.managedFields;
  if (isRecord(metadata.annotations) && metadata.annotations[LAST_APPLIED] !== undefined) delete metadata.annotations[LAST_APPLIED];
}

/**
 * GETs `path` (with `query`) from the context's server and resolves the parsed body. A
 * non-2xx answer rejects with the Status's message and reason; a socket or TLS failure with
 * a 'network' error.
 */
export async function getJson(kc: KubeConfig, path: string, query: Record<string, string | number | undefined>): Promise<unknown> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new KubeRequestError('other', 'The context has no cluster server');
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  const request = url.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...options, method: 'GET', headers: { ...options.headers, accept: 'application/json', 'accept-encoding': 'gzip' } }, (res) => {
      // The chunks are kept as bytes and decoded once when the body ends. Decoding each chunk
      // as it arrives (a string decoder, then one string of thousands of pieces that the parse
      // must flatten first) cost about half as much CPU again as this on a 5.7 MB list, and
      // the process is CPU-bound while lists arrive, so it bought no overlap (docs/benchmarks.md).
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      let chunks: Buffer[] = [];
      body.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        noteListProgress();
      });
      body.on('error', (e) => reject(toKubeRequestError(e)));
      body.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        chunks = []; // the listener's closure outlives this answer; the body must not
        if (status < 200 || status > 299) return reject(statusError(status, text));
        try {
          const parsed: unknown = JSON.parse(text);
          resolve(parsed);
        } catch (e) {
          reject(toKubeRequestError(e));
        }
      });
    });
    req.setTimeout(LIST_TIMEOUT_MS, () => req.destroy(new KubeRequestError('network', 'The request timed out')));
    req.on('error', (e) => reject(toKubeRequestError(e)));
    req.end();
  });
}
