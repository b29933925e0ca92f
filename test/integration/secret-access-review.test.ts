// The Tokens view's access review (src-main/tokens/secret-access.ts) against a sandbox API
// server that answers SelfSubjectAccessReview and SelfSubjectRulesReview as kube-apiserver
// does: the summary comes from the rules review, resourceNames included, and an admin
// impersonating a viewer (kubectl --as) gets the viewer's answers.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import { reviewSecretAccess, withPromotionToken } from '../../src-main/tokens/secret-access';
import type { KubeUser } from '../sandbox/seeds/types';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../sandbox/kube/index';
import { adminUser, sandboxCrds, viewerUser } from '../sandbox/kube/testing';

const auditor: KubeUser = {
  name: 'token-auditor',
  token: 'token-auditor-token',
  rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['checkout-promotion'], namespaces: ['payments'] }],
};

let server: KubeApiServer;
let dir: string;
let kubeconfigPath: string;

function kubeconfigFor(context: string) {
  const loaded = loadKubeconfig({ explicitPath: kubeconfigPath });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value.forContext(context);
}

async function accessAs(context: string, name = 'checkout-promotion') {
  const kc = kubeconfigFor(context);
  const read = await withPromotionToken(kc, 'payments', name, async () => 'read');
  return reviewSecretAccess(kc, 'payments', name, read.facts.status);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rb-access-review-'));
  kubeconfigPath = path.join(dir, 'kubeconfig');
  server = await startKubeApiServer({ name: 'mgmt', crdDir: sandboxCrds, users: [adminUser, viewerUser, auditor] });
  writeKubeconfig(
    kubeconfigPath,
    [
      { cluster: 'mgmt', server: server.url, caPem: server.caPem, user: 'admin', token: adminUser.token },
      { cluster: 'mgmt', contextName: 'viewer', server: server.url, caPem: server.caPem, user: 'viewer', token: viewerUser.token },
      { cluster: 'mgmt', contextName: 'auditor', server: server.url, caPem: server.caPem, user: 'token-auditor', token: auditor.token },
    ],
    'mgmt',
  );
  server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } });
  for (const name of ['checkout-promotion', 'billing-promotion']) {
    server.store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'payments' }, stringData: { token: `ghp_${name}` } });
  }
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('secret access review through SelfSubjectRulesReview', () => {
  it('admin: reviews confirm get and list, and the rules summary covers every Secret', async () => {
    const access = await accessAs('mgmt');
    expect(access).toMatchObject({ youCanGet: 'yes', youCanListNamespace: 'yes', method: 'self-subject-access-review' });
    expect(access.summary).toContain('Your RBAC rules in payments allow all verbs on every Secret.');
    expect(server.requestLog.count('POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews')).toBeGreaterThan(0);
  });

  it('viewer: forbidden, and the rules grant no read access to Secrets', async () => {
    const access = await accessAs('viewer');
    expect(access).toMatchObject({ youCanGet: 'no', youCanListNamespace: 'no', method: 'self-subject-access-review' });
    expect(access.summary).toContain('An access review says you may not read this Secret.');
    expect(access.summary).toContain('Your RBAC rules in payments grant no read access to Secrets.');
  });

  it('a user limited to one Secret by resourceNames: may get that one, may not list, and the summary names it', async () => {
    const access = await accessAs('auditor');
    expect(access).toMatchObject({ youCanGet: 'yes', youCanListNamespace: 'no' });
    expect(access.summary).toContain('Your RBAC rules in payments allow get on the Secrets checkout-promotion.');
    const other = await accessAs('auditor', 'billing-promotion');
    expect(other.youCanGet).toBe('no');
  });

  it('an admin impersonating the viewer gets the viewer answers', async () => {
    const kc = kubeconfigFor('mgmt');
    const user = kc.getCurrentUser()!;
    kc.users = kc.users.map((u) => (u.name === user.name ? { ...u, impersonateUser: 'viewer' } : u));
    const read = await withPromotionToken(kc, 'payments', 'checkout-promotion', async () => 'read');
    expect(read.facts.status).toBe('forbidden');
    const access = await reviewSecretAccess(kc, 'payments', 'checkout-promotion', read.facts.status);
    expect(access).toMatchObject({ youCanGet: 'no', youCanListNamespace: 'no' });
    expect(access.summary).toContain('grant no read access to Secrets');
    expect(server.requestLog.entries().some((e) => e.user === 'admin as viewer')).toBe(true);
  });
});
