// GitLab (gitlab.com and self-managed) as one ForgeKind: everything the rest of main knows
// about this forge is reached through this entry.
import { stripNumberedSuffix, withFetch, type ForgeKind } from '../forge-kind';
import { createGitLabProvider } from './gitlab-provider';
import { createGitLabInspector } from './inspector';
import { exchangeGitLabCode, fetchGitLabIdentity, refreshGitLabGrant, revokeGitLabToken } from './oauth';

export const gitlab: ForgeKind = {
  type: 'gitlab',
  label: 'GitLab',
  pullRequestNoun: 'merge request',
  pullRequestRef: (n) => `merge request !${n}`,
  strategyProviders: ['gitlab'],
  oauth: {
    exchangeCode: exchangeGitLabCode,
    refresh: refreshGitLabGrant,
    identity: fetchGitLabIdentity,
    revoke: revokeGitLabToken,
    // GitLab has a device flow (17.2+), but not for the public applications this app registers
    device: null,
  },
  provider: (host, token, deps) => createGitLabProvider({ apiUrl: host.apiUrl, token, ...withFetch(deps) }),
  inspector: (deps) => createGitLabInspector({ ...withFetch(deps), ...(deps.now ? { now: deps.now } : {}), ...(deps.session ? { session: deps.session } : {}) }),
  noAccessHint: 'Ask for the Developer role (or higher) on the project, or for push rights on its protected branches, then retry.',
  repoUrlOfPullRequest: (prUrl) => stripNumberedSuffix(prUrl, '/-/merge_requests'),
  capabilities: {
    type: 'gitlab',
    label: 'GitLab',
    pullRequestNoun: 'merge request',
    pullRequestShort: 'MR',
    pullRequestPrefix: '!',
    deviceFlow: false,
    reportsTokenLastUse: true,
    strategyProviders: ['gitlab'],
    exampleWebUrl: 'https://gitlab.example.com',
  },
};
