// Looks up what main said about a forge kind (store: forgeCapabilities). Pure; a kind main did
// not describe gets neutral wording and no optional features.
import type { ForgeCapabilities } from '../../../src-main/common/forges';

export function capabilitiesOf(list: readonly ForgeCapabilities[], type: string | undefined): ForgeCapabilities | undefined {
  return list.find((c) => c.type === type);
}

/** "GitHub", "GitLab"; the raw type for a kind main did not describe. */
export function forgeLabel(list: readonly ForgeCapabilities[], type: string | undefined): string {
  return capabilitiesOf(list, type)?.label ?? type ?? 'Git host';
}

/** Whether sign-in to this kind of host may use a device code. */
export function offersDeviceFlow(list: readonly ForgeCapabilities[], type: string | undefined): boolean {
  return capabilitiesOf(list, type)?.deviceFlow === true;
}

/** Whether this kind of forge tells when a token was last used. */
export function reportsTokenLastUse(list: readonly ForgeCapabilities[], type: string | undefined): boolean {
  return capabilitiesOf(list, type)?.reportsTokenLastUse !== false;
}

/** The forge types a host may be set to: those main described, plus the row's current one. */
export function forgeTypeOptions(list: readonly ForgeCapabilities[], current: ForgeCapabilities['type']): { type: ForgeCapabilities['type']; label: string }[] {
  const known = list.map((c) => ({ type: c.type, label: c.label }));
  return known.some((c) => c.type === current) ? known : [{ type: current, label: forgeLabel(list, current) }, ...known];
}

/** The forge a pipeline's pull-request strategy promotes through (its `provider`, e.g. "gitlab"). */
export function capabilitiesOfStrategy(list: readonly ForgeCapabilities[], strategyProvider: string | undefined): ForgeCapabilities | undefined {
  return strategyProvider === undefined ? undefined : list.find((c) => c.strategyProviders.includes(strategyProvider));
}

/** How one forge names the change a promotion opens: GitHub's "pull request" #12, GitLab's "merge request" !12. */
export interface ChangeRequestWords {
  /** "pull request", "merge request" */
  noun: string;
  /** "Pull request" */
  capital: string;
  /** "a pull request" */
  article: string;
  /** "PR", "MR" */
  short: string;
  /** "#12", "!12"; "#?" when the number is not known */
  ref(number: number | undefined): string;
}

// Before main has answered (or for a provider no forge claims) the app's own general term.
const GENERAL_TERM = { pullRequestNoun: 'pull request', pullRequestShort: 'PR', pullRequestPrefix: '#' };

export function changeRequestWords(caps: Pick<ForgeCapabilities, 'pullRequestNoun' | 'pullRequestShort' | 'pullRequestPrefix'> | undefined): ChangeRequestWords {
  const { pullRequestNoun: noun, pullRequestShort: short, pullRequestPrefix: prefix } = caps ?? GENERAL_TERM;
  return {
    noun,
    capital: noun.charAt(0).toUpperCase() + noun.slice(1),
    article: `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`,
    short,
    ref: (number) => `${prefix}${number ?? '?'}`,
  };
}

/** The words for the forge behind a pipeline strategy's provider. */
export function changeRequestWordsFor(list: readonly ForgeCapabilities[], strategyProvider: string | undefined): ChangeRequestWords {
  return changeRequestWords(capabilitiesOfStrategy(list, strategyProvider));
}

/**
 * The noun for `count` changes that may span forges: "pull request(s)"; "pull/merge requests"
 * when the nouns differ only before a shared last word; else "pull requests or change lists".
 */
export function nounForCount(nouns: readonly string[], count: number): string {
  const s = count === 1 ? '' : 's';
  const distinct = [...new Set(nouns)];
  if (distinct.length === 0) return `${GENERAL_TERM.pullRequestNoun}s`;
  if (distinct.length === 1) return `${distinct[0]}${s}`;
  const split = distinct.map((n) => /^(.*) (\S+)$/.exec(n));
  const last = split[0]?.[2];
  if (last && split.every((m) => m?.[2] === last)) return `${split.map((m) => m?.[1]).join('/')} ${last}${s}`;
  return distinct.map((n) => `${n}${s}`).join(' or ');
}
