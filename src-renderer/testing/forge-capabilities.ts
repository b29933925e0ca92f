// Forge capabilities as main publishes them (forges:list-capabilities), for renderer unit
// tests; src-main/forges/registry.test.ts checks the wording fields on main's side.
import type { ForgeCapabilities } from '../../src-main/common/forges';

function published(type: ForgeCapabilities['type'], label: string, words: [noun: string, short: string, prefix: string]): ForgeCapabilities {
  const [pullRequestNoun, pullRequestShort, pullRequestPrefix] = words;
  const github = type === 'github';
  return {
    type,
    label,
    pullRequestNoun,
    pullRequestShort,
    pullRequestPrefix,
    deviceFlow: github,
    reportsTokenLastUse: !github,
    strategyProviders: [type],
    exampleWebUrl: `https://${type}.example.com`,
  };
}

export const publishedForgeCapabilities: readonly ForgeCapabilities[] = [published('github', 'GitHub', ['pull request', 'PR', '#']), published('gitlab', 'GitLab', ['merge request', 'MR', '!'])];
