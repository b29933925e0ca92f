import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { gitopsClusterSecretRef, kubeconfigFromSecretData, kubeconfigFromSecretText } from './gitops-cluster-secret';

const TOKEN = 'tok-3c1f0e9a7b-not-for-logs';

function kubeconfig(user: Record<string, unknown> = { token: TOKEN }, extra: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'remote', cluster: { server: 'https://10.0.0.7:6443', 'certificate-authority-data': 'Q0EK' } }],
    users: [{ name: 'remote-admin', user }],
    contexts: [{ name: 'remote', context: { cluster: 'remote', user: 'remote-admin' } }],
    'current-context': 'remote',
    ...extra,
  });
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('gitopsClusterSecretRef', () => {
  it('follows secretRef, then capiClusterRef, in the GitopsCluster namespace', () => {
    expect(gitopsClusterSecretRef({ spec: { secretRef: { name: 'prod-kc' } } }, 'flux-system')).toEqual({ namespace: 'flux-system', name: 'prod-kc', keys: ['value', 'value.yaml'] });
    expect(gitopsClusterSecretRef({ spec: { capiClusterRef: { name: 'prod' } } }, 'clusters')).toEqual({ namespace: 'clusters', name: 'prod-kubeconfig', keys: ['value'] });
    expect(gitopsClusterSecretRef({ spec: {} }, 'x')).toMatch(/names no kubeconfig Secret/);
    expect(gitopsClusterSecretRef(null, 'x')).toMatch(/names no kubeconfig Secret/);
  });
});

describe('kubeconfigFromSecretText', () => {
  it('builds a KubeConfig for the current context only', () => {
    const r = kubeconfigFromSecretText(kubeconfig());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.kc.getCurrentCluster()?.server).toBe('https://10.0.0.7:6443');
    expect(r.value.kc.getCurrentUser()?.token).toBe(TOKEN);
    expect(r.value.kc.getContexts()).toHaveLength(1);
    expect(r.value.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(r.value.fingerprint).not.toContain(TOKEN);
    // Same entries, same fingerprint; a rotated token, another one.
    const again = kubeconfigFromSecretText(kubeconfig());
    const rotated = kubeconfigFromSecretText(kubeconfig({ token: `${TOKEN}-2` }));
    expect(again.ok && again.value.fingerprint).toBe(r.value.fingerprint);
    expect(rotated.ok && rotated.value.fingerprint).not.toBe(r.value.fingerprint);
  });

  it('refuses what would run a command or read a local file', () => {
    const exec = kubeconfigFromSecretText(kubeconfig({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'curl' } }));
    expect(exec).toEqual({ ok: false, reason: expect.stringContaining('credential plugin (exec)') });
    const provider = kubeconfigFromSecretText(kubeconfig({ 'auth-provider': { name: 'oidc' } }));
    expect(provider.ok).toBe(false);
    const tokenFile = kubeconfigFromSecretText(kubeconfig({ 'token-file': '/etc/passwd' }));
    expect(tokenFile).toEqual({ ok: false, reason: expect.stringContaining('local file (token-file)') });
  });

  it('refuses plain http, TLS verification off, proxies and link-local or metadata servers', () => {
    const withCluster = (cluster: Record<string, unknown>) =>
      kubeconfigFromSecretText(kubeconfig(undefined, { clusters: [{ name: 'remote', cluster: { 'certificate-authority-data': 'Q0EK', ...cluster } }] }));
    expect(withCluster({ server: 'http://10.0.0.7:6443' })).toEqual({ ok: false, reason: expect.stringContaining('plain http') });
    expect(withCluster({ server: 'https://10.0.0.7:6443', 'insecure-skip-tls-verify': true })).toEqual({ ok: false, reason: expect.stringContaining('insecure-skip-tls-verify') });
    expect(withCluster({ server: 'https://10.0.0.7:6443', 'proxy-url': 'http://attacker.example:3128' })).toEqual({ ok: false, reason: expect.stringContaining('proxy-url') });
    for (const server of ['https://169.254.169.254', 'https://[fe80::1]:6443', 'https://metadata.google.internal', 'https://[fd00:ec2::254]']) {
      expect(withCluster({ server }), server).toEqual({ ok: false, reason: expect.stringContaining('link-local or cloud metadata') });
    }
    expect(withCluster({ server: 'https://10.0.0.7:6443' }).ok).toBe(true);
  });

  it('explains a broken document without quoting it', () => {
    const cases: Array<[string, RegExp]> = [
      [`clusters: [oops\n  token: ${TOKEN}`, /not valid YAML/],
      [`- ${TOKEN}`, /not a YAML mapping/],
      [kubeconfig(undefined, { 'current-context': 'elsewhere' }), /current-context names no context/],
      [kubeconfig(undefined, { 'current-context': undefined, contexts: [] }), /has no context/],
      [kubeconfig(undefined, { clusters: [{ name: 'remote', cluster: { server: 'ftp://x' } }] }), /no http\(s\) server URL/],
      [kubeconfig(undefined, { clusters: [{ name: 'remote', cluster: { server: `https://admin:${TOKEN}@10.0.0.7` } }] }), /server URL embeds credentials/],
    ];
    for (const [text, reason] of cases) {
      const r = kubeconfigFromSecretText(text);
      expect(r.ok, text).toBe(false);
      if (r.ok) continue;
      expect(r.reason).toMatch(reason);
      expect(r.reason).not.toContain(TOKEN);
    }
  });
});

describe('kubeconfigFromSecretData', () => {
  it('reads value, else value.yaml, and names the key it looked for', () => {
    const fromYamlKey = kubeconfigFromSecretData({ 'value.yaml': b64(kubeconfig()) }, ['value', 'value.yaml']);
    expect(fromYamlKey.ok && fromYamlKey.key).toBe('value.yaml');
    const capiOnly = kubeconfigFromSecretData({ 'value.yaml': b64(kubeconfig()) }, ['value']);
    expect(capiOnly).toEqual({ ok: false, kind: 'malformed', reason: 'it has no kubeconfig under "value"' });
    const broken = kubeconfigFromSecretData({ value: b64('{') }, ['value', 'value.yaml']);
    expect(broken).toEqual({ ok: false, kind: 'malformed', reason: 'key "value": it is not valid YAML' });
  });
});
