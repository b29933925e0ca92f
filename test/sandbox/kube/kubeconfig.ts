// Writes a real kubeconfig for sandbox clusters: one cluster, user and context per entry, the CA
// embedded as certificate-authority-data, bearer tokens as users. kubectl and client-node read it
// unchanged.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigEntry {
  cluster: string;
  server: string;
  caPem: string;
  user: string;
  token: string;
  namespace?: string;
  /** defaults to the cluster name */
  contextName?: string;
}

export function kubeconfigYaml(entries: KubeconfigEntry[], currentContext: string): string {
  const clusters = new Map<string, unknown>();
  const users = new Map<string, unknown>();
  const contexts: unknown[] = [];
  for (const e of entries) {
    clusters.set(e.cluster, {
      name: e.cluster,
      cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') },
    });
    // Users are per cluster: the same user name on two clusters may hold different tokens.
    const userName = `${e.user}@${e.cluster}`;
    users.set(userName, { name: userName, user: { token: e.token } });
    const context: Record<string, string> = { cluster: e.cluster, user: userName };
    if (e.namespace) context.namespace = e.namespace;
    contexts.push({ name: e.contextName ?? e.cluster, context });
  }
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': currentContext,
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts,
  });
}

export function writeKubeconfig(file: string, entries: KubeconfigEntry[], currentContext: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, kubeconfigYaml(entries, currentContext), { mode: 0o600 });
}
