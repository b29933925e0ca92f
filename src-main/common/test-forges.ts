// The forge capabilities main publishes (forges:list-capabilities), for renderer unit tests.
// src-main/forges/registry.test.ts checks this list equals what the registry really sends.
import type { ForgeCapabilities } from './forges';

export const publishedForgeCapabilities: readonly ForgeCapabilities[] = [
  {
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
  {
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
];
