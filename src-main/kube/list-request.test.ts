// getJson against a real local HTTP server: query and credentials sent, gzip bodies, Status
// errors, refused connections; trimObject on the fields the board never reads.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeRequestError } from './errors';
import { lastListProgressAt, noteListProgress } from './list-progress';
import { getJson, trimObject } from './list-request';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('{}');
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function kubeconfig(serverUrl = `http://127.0.0.1:${port}`): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: serverUrl, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'sekret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

describe('getJson', () => {
  it('sends the query and the credentials and parses the body', async () => {
    let seen: { url?: string; auth?: string } = {};
    handler = (req, res) => {
      seen = { url: req.url, auth: req.headers.authorization };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ kind: 'List', items: [{ metadata: { name: 'a' } }], metadata: { resourceVersion: '7' } }));
    };
    const body = await getJson(kubeconfig(), '/apis/g/v1/things', { limit: 500, continue: undefined });
    expect(body).toEqual({ kind: 'List', items: [{ metadata: { name: 'a' } }], metadata: { resourceVersion: '7' } });
    expect(seen).toEqual({ url: '/apis/g/v1/things?limit=500', auth: 'Bearer sekret-token' });
  });

  it('notes progress while a body arrives, before it has ended', async () => {
    let progressBeforeEnd = Number.NEGATIVE_INFINITY;
    noteListProgress(Number.NEGATIVE_INFINITY); // as before any list
    handler = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"kind":"List","items":[');
      // the rest only once the client has seen the first chunk
      const check = setInterval(() => {
        if (lastListProgressAt() === Number.NEGATIVE_INFINITY) return;
        clearInterval(check);
        progressBeforeEnd = lastListProgressAt();
        res.end(']}');
      }, 5);
    };
    await expect(getJson(kubeconfig(), '/apis/g/v1/things', {})).resolves.toEqual({ kind: 'List', items: [] });
    expect(progressBeforeEnd).toBeGreaterThan(0);
  });

  it('decodes a character whose UTF-8 bytes arrive in two chunks', async () => {
    const bytes = Buffer.from(JSON.stringify({ items: [{ metadata: { name: 'café-ünïcode' } }] }), 'utf8');
    const split = bytes.indexOf(Buffer.from('é', 'utf8')) + 1; // between the two bytes of "é"
    noteListProgress(Number.NEGATIVE_INFINITY);
    handler = (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write(bytes.subarray(0, split));
      // the second half only once the client has taken the first as a chunk of its own
      const check = setInterval(() => {
        if (lastListProgressAt() === Number.NEGATIVE_INFINITY) return;
        clearInterval(check);
        res.end(bytes.subarray(split));
      }, 5);
    };
    await expect(getJson(kubeconfig(), '/apis/g/v1/things', {})).resolves.toEqual({ items: [{ metadata: { name: 'café-ünïcode' } }] });
  });

  it('reads a gzip-compressed body, as API servers send large lists', async () => {
    handler = (req, res) => {
      expect(req.headers['accept-encoding']).toContain('gzip');
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipSync(JSON.stringify({ items: Array.from({ length: 300 }, (_, i) => ({ metadata: { name: `n${i}`, note: 'ü'.repeat(50) } })) })));
    };
    const body = (await getJson(kubeconfig(), '/apis/g/v1/things', {})) as { items: Array<{ metadata: { name: string; note: string } }> };
    expect(body.items).toHaveLength(300);
    expect(body.items[299]!.metadata).toEqual({ name: 'n299', note: 'ü'.repeat(50) });
  });

  it('rejects with the Status message and reason of a non-2xx answer', async () => {
    handler = (_req, res) => {
      res.statusCode = 403;
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', message: 'helmreleases is forbidden: User "u" cannot list', code: 403 }));
    };
    const error = await getJson(kubeconfig(), '/apis/g/v1/things', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeRequestError);
    expect(error).toMatchObject({ kind: 'http', status: 403, reason: 'Forbidden', message: 'helmreleases is forbidden: User "u" cannot list' });
  });

  it('rejects with a network error when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await getJson(kubeconfig(`http://127.0.0.1:${freePort}`), '/apis/g/v1/things', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network' });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

describe('trimObject', () => {
  it('drops managedFields and the last-applied annotation, and keeps everything else', () => {
    const obj = {
      metadata: {
        name: 'a',
        managedFields: [{ manager: 'helm-controller' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{…}', keep: 'me' },
      },
      status: { history: [] },
    };
    trimObject(obj);
    expect(obj).toEqual({ metadata: { name: 'a', annotations: { keep: 'me' } }, status: { history: [] } });
  });

  it('leaves values that are not objects alone', () => {
    expect(() => trimObject(null)).not.toThrow();
    expect(() => trimObject({ metadata: 'x' })).not.toThrow();
  });
});
