// Secret reading and access reviews through @kubernetes/client-node against a tiny fake API
// server: the states (ok, forbidden, missing, key missing), SelfSubjectAccessReview and
// SelfSubjectRulesReview summaries, and the fallback when the server answers no review.

import { KubeConfig } from '@kubernetes/client-node';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewSecretAccess, withPromotionToken } from './secret-access';

const TOKEN = 'ghp_fakefakefakefakefakefakefakefakefake01';
const PASSWORD = 'hunter2-password-value';
const b64 = (s: string) => Buffer.from(s).toString('base64');

let server: Server;
let kc: KubeConfig;
let reviewsServed = true;
const reviewBodies: unknown[] = [];

function status(res: ServerResponse, code: number, reason: string) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `secrets is ${reason}`, reason, code }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const secret = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/?]+)/.exec(url);
      if (req.method === 'GET' && secret) {
        const name = secret[2];
        if (name === 'forbidden') return status(res, 403, 'Forbidden');
        if (name === 'missing') return status(res, 404, 'NotFound');
        const data = name === 'nokey' ? { username: b64('bot'), password: b64(PASSWORD) } : { token: b64(`${TOKEN}\n`), username: b64('bot'), password: b64(PASSWORD) };
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: secret[1] }, type: 'Opaque', data }));
      }
      if (req.method === 'POST' && url.startsWith('/apis/authorization.k8s.io/v1/selfsubject')) {
        if (!reviewsServed) return status(res, 404, 'NotFound');
        const parsed = JSON.parse(body) as { spec: { resourceAttributes?: { verb: string; name?: string } } };
        reviewBodies.push(parsed);
        res.writeHead(201, { 'content-type': 'application/json' });
        if (url.includes('selfsubjectaccessreviews')) {
          const verb = parsed.spec.resourceAttributes?.verb;
          return res.end(JSON.stringify({ ...parsed, status: { allowed: verb === 'get' } }));
        }
        return res.end(
          JSON.stringify({
            ...parsed,
            status: { incomplete: false, nonResourceRules: [], resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['checkout-promotion'] }] },
          }),
        );
      }
      status(res, 404, 'NotFound');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'me', token: 'kube-bearer' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'me' }],
    currentContext: 'fake',
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('withPromotionToken', () => {
  it('hands the trimmed token to the callback only, and reports key presence without values', async () => {
    let seen: string | undefined;
    const read = await withPromotionToken(kc, 'team-a', 'checkout-promotion', async (token) => {
      seen = token;
      return token.length;
    });
    expect(seen).toBe(TOKEN);
    expect(read.result).toBe(TOKEN.length);
    expect(read.facts).toEqual({ status: 'ok', hasToken: true, hasUsername: true, hasPassword: true });
    expect(JSON.stringify(read)).not.toContain(PASSWORD);
  });

  it('maps 403, 404 and a missing key to states without calling back', async () => {
    const never = async (): Promise<never> => {
      throw new Error('must not be called');
    };
    expect((await withPromotionToken(kc, 'team-a', 'forbidden', never)).facts.status).toBe('forbidden');
    expect((await withPromotionToken(kc, 'team-a', 'missing', never)).facts.status).toBe('secret-missing');
    const noKey = await withPromotionToken(kc, 'team-a', 'nokey', never);
    expect(noKey.facts).toEqual({ status: 'key-missing', hasToken: false, hasUsername: true, hasPassword: true, message: 'the Secret has no "token" key (keys present: password, username)' });
  });
});

describe('reviewSecretAccess', () => {
  it('asks SelfSubjectAccessReview for get and list and summarises SelfSubjectRulesReview', async () => {
    reviewsServed = true;
    reviewBodies.length = 0;
    const access = await reviewSecretAccess(kc, 'team-a', 'checkout-promotion', 'ok');
    expect(access).toEqual({
      youCanGet: 'yes',
      youCanListNamespace: 'no',
      method: 'self-subject-access-review',
      summary: 'An access review confirms that you (not only the pipeline controller) may read this Secret. Your RBAC rules in team-a allow get on the Secrets checkout-promotion.',
    });
    expect(reviewBodies).toContainEqual(
      expect.objectContaining({ kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'team-a', verb: 'get', resource: 'secrets', group: '', name: 'checkout-promotion' } } }),
    );
    expect(reviewBodies).toContainEqual(expect.objectContaining({ kind: 'SelfSubjectRulesReview', spec: { namespace: 'team-a' } }));
  });

  it('falls back to the read attempt when the server answers no review', async () => {
    reviewsServed = false;
    const readable = await reviewSecretAccess(kc, 'team-a', 'checkout-promotion', 'ok');
    expect(readable).toMatchObject({ youCanGet: 'yes', youCanListNamespace: 'unknown', method: 'read-attempt' });
    expect(readable.summary).toContain('so it is readable by more than the pipeline controller');
    const forbidden = await reviewSecretAccess(kc, 'team-a', 'forbidden', 'forbidden');
    expect(forbidden).toMatchObject({ youCanGet: 'no', method: 'read-attempt' });
    const unknown = await reviewSecretAccess(kc, 'team-a', 'x', 'cluster-error');
    expect(unknown).toMatchObject({ youCanGet: 'unknown', method: 'none' });
  });
});
