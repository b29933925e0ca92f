// The "empty" seed: a management cluster with no Pipelines, empty staging and prod clusters
// (Flux installed, nothing deployed) and a forge with its users, OAuth apps and an almost
// empty config repo: the first-run state of the board, where a user sets up their own
// repository, Pipelines and GitopsClusters.

import { RELEASE_MANAGER, STANDARD_FORGE_USERS, STANDARD_OAUTH_APPS, classicToken, namespace, standardKubeUsers } from './builders';
import type { SeedBuilder } from './types';

export const emptySeed: SeedBuilder = () => ({
  name: 'empty',
  clusters: ['mgmt', 'staging', 'prod'].map((name) => ({ name, management: name === 'mgmt', users: standardKubeUsers(name), objects: [namespace('flux-system')] })),
  forge: {
    users: STANDARD_FORGE_USERS,
    tokens: [{ value: classicToken('empty:release-manager'), login: RELEASE_MANAGER, kind: 'classic', scopes: ['repo', 'read:user'], expiresAt: null, label: 'releaseManager' }],
    repos: [{ owner: 'acme', name: 'fleet-config', defaultBranch: 'main', files: { 'README.md': '# fleet-config\n' } }],
    pulls: [],
    oauthApps: STANDARD_OAUTH_APPS,
    signInUser: RELEASE_MANAGER,
  },
});
