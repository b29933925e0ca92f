// Helpers for tests of (and against) the sandbox API server: a raw HTTPS client that trusts the
// cluster's CA, a watch-stream reader, kubectl as an independent client, a bounded wait, and
// the users most tests need.

import { execFile } from 'node:child_process';
import { request } from 'node:https';
import path from 'node:path';
import type { KubeUser } from '../seeds/types.js';
import type { KubeApiServer } from './server.js';

/** The repository root (this file lives in test/sandbox/kube). */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');
/** The project's own copies of the upstream CRDs (see test/sandbox/crds/README.md). */
export const sandboxCrds = path.join(repoRoot, 'test', 'sandbox', 'crds');

export const adminUser: KubeUser = { name: 'admin', token: 'admin-token', rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] };
/** Reads everything except Secrets. */
export const viewerUser: KubeUser = {
  name: 'viewer',
  token: 'viewer-token',
  rules: [
    { verbs: ['get', 'list', 'watch'], apiGroups: ['pipelines.weave.works', 'gitops.weave.works', 'helm.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io'], resources: ['*'] },
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces', 'configmaps', 'events'] },
  ],
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

export function kubeRequest(server: KubeApiServer, method: string, urlPath: string, options: { token?: string; body?: unknown; contentType?: string; accept?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
    if (options.token !== '') headers.Authorization = `Bearer ${options.token ?? adminUser.token}`;
    if (body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      // Node sends DELETE bodies without chunked framing, so the length must be explicit.
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const req = request(`${server.url}${urlPath}`, { method, ca: server.caPem, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface WatchEventLine {
  type: string;
  object: any;
}

export interface RawWatch {
  status: number;
  events: WatchEventLine[];
  ended: boolean;
  close(): void;
  /** resolves with the first event (at or after index `from`) that satisfies `predicate` */
  next(predicate: (e: WatchEventLine) => boolean, timeoutMs?: number, from?: number): Promise<WatchEventLine>;
  waitEnded(timeoutMs?: number): Promise<void>;
}

export function openWatch(server: KubeApiServer, urlPath: string, token = adminUser.token): Promise<RawWatch> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${urlPath}`, { method: 'GET', ca: server.caPem, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, agent: false }, (res) => {
      let buffer = '';
      const watch: RawWatch = {
        status: res.statusCode ?? 0,
        events: [],
        ended: false,
        close: () => req.destroy(),
        next: (predicate, timeoutMs = 5000, from = 0) => waitFor(() => watch.events.slice(from).find(predicate), timeoutMs, 'watch event'),
        waitEnded: (timeoutMs = 5000) => waitFor(() => (watch.ended ? true : undefined), timeoutMs, 'watch end').then(() => undefined),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim() !== '') watch.events.push(JSON.parse(line) as WatchEventLine);
        }
      });
      const end = (): void => {
        watch.ended = true;
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
      resolve(watch);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls `probe` until it returns something other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A kubectl runner for one kubeconfig, HOME and cache in `dir`. Runs asynchronously: the server
 * lives in the test's process, so the event loop must keep turning.
 */
export function kubectlIn(kubeconfig: string, dir: string): (args: string[], stdin?: string) => Promise<KubectlResult> {
  return (args, stdin) =>
    new Promise((resolve) => {
      const child = execFile(
        'kubectl',
        ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), '--request-timeout=15s', ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: dir }, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
}
