// The RBAC example in docs/rbac.md must grant exactly what the board reads (the resources the
// data plane watches, from kube-transport's BOARD_RESOURCES) and nothing dangerous: no
// writes, no list/watch on Secrets, Secret get only by resourceNames.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BOARD_RESOURCES } from '../../src-main/kube/kube-transport';

const root = path.resolve(import.meta.dirname, '../..');
const markdown = readFileSync(path.join(root, 'docs/rbac.md'), 'utf8');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string }[];
}

const manifests: Manifest[] = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((m) =>
  parseAllDocuments(m[1]!).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJSON() as Manifest;
  }),
);

describe('docs/rbac.md example', () => {
  it('is valid RBAC YAML: every binding points at a role defined beside it', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(4);
    for (const m of manifests) expect(m.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    const roles = new Set(manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role').map((m) => `${m.kind}/${m.metadata.name}`));
    for (const binding of manifests.filter((m) => m.kind.endsWith('Binding'))) {
      expect(roles.has(`${binding.roleRef!.kind}/${binding.roleRef!.name}`)).toBe(true);
      expect(binding.subjects?.length).toBeGreaterThan(0);
    }
  });

  it('the ClusterRole grants get/list/watch on every kind the board watches, and nothing else', () => {
    const clusterRole = manifests.find((m) => m.kind === 'ClusterRole')!;
    const granted = new Set(clusterRole.rules!.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))));
    for (const { group, plural } of Object.values(BOARD_RESOURCES)) expect(granted.has(`${group}/${plural}`), `${group}/${plural}`).toBe(true);
    expect(granted.size).toBe(Object.keys(BOARD_RESOURCES).length);
    for (const rule of clusterRole.rules!) expect([...rule.verbs].sort()).toEqual(['get', 'list', 'watch']);
  });

  it('Secret access is get only, by name, in a namespaced Role', () => {
    const secretRules = manifests.flatMap((m) => (m.rules ?? []).filter((r) => r.resources.includes('secrets')).map((r) => ({ kind: m.kind, namespace: m.metadata.namespace, rule: r })));
    expect(secretRules.length).toBeGreaterThan(0);
    for (const { kind, namespace, rule } of secretRules) {
      expect(kind).toBe('Role');
      expect(namespace).toBeTruthy();
      expect(rule.verbs).toEqual(['get']);
      expect(rule.resourceNames?.length).toBeGreaterThan(0);
    }
  });

  it('grants no write verbs anywhere', () => {
    const verbs = manifests.flatMap((m) => (m.rules ?? []).flatMap((r) => r.verbs));
    expect(verbs.filter((v) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
  });
});
