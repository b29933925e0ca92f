// GitHub (github.com and GitHub Enterprise Server) as one ForgeKind: everything the rest of
// main knows about this forge is reached through this entry.
import { stripNumberedSuffix, withFetch, type ForgeKind } from '../forge-kind';
import { createGitHubProvider } from './github-provider';
import { createGitHubInspector } from './inspector';
import { authorizeUrl, exchangeAuthorizationCode, fetchIdentity, pollDeviceToken, refreshAccessToken, requestDeviceCode, revokeToken } from './oauth';

export const github: ForgeKind = {
  type: 'github',
  label: 'GitHub',
  pullRequestNoun: 'pull request',
  pullRequestRef: (n) => `PR #${n}`,
  strategyProviders: ['github'],
  oauth: {
    authorizeUrl,
    exchangeCode: exchangeAuthorizationCode,
    refresh: refreshAccessToken,
    identity: fetchIdentity,
    revoke: revokeToken,
    device: { request: requestDeviceCode, poll: pollDeviceToken },
  },
  provider: (host, token, deps) => createGitHubProvider({ apiUrl: host.apiUrl, token, ...withFetch(deps) }),
  inspector: (deps) => createGitHubInspector(withFetch(deps)),
  noAccessHint: 'Ask for write access to the repository (or, for a GitHub App, install it on the repository), then retry.',
  repoUrlOfPullRequest: (prUrl) => stripNumberedSuffix(prUrl, '/pull'),
  capabilities: {
    type: 'github',
    label: 'GitHub',
    pullRequestNoun: 'pull request',
    pullRequestShort: 'PR',
    pullRequestPrefix: '#',
    deviceFlow: true,
    reportsTokenLastUse: false,
    strategyProviders: ['github'],
    exampleWebUrl: 'https://github.example.com',
  },
};
