// The words of a rollback pull request: its branch, title, label and body. Pure. The body keeps
// the controller's metadata block (promotionBody), so tools that find promotion PRs by it
// still find a rollback, and says first what is replaced, by what, and why.
import type { FileChange } from '../common/promotion';
import { promotionBody } from './promotion-plan';

/** The label a rollback PR carries (GitHub label, GitLab MR label). */
export const ROLLBACK_LABEL = 'rollback';

/**
 * Its own branch, not the controller's promotion-<ns>-<name>-<env>: a rollback must not
 * overwrite an open promotion PR for the same environment (which may be the fix in review).
 */
export function rollbackBranchName(ns: string, name: string, env: string): string {
  return `rollback-${ns}-${name}-${env}`;
}

export function rollbackTitle(ns: string, name: string, env: string, version: string, replaces: string): string {
  return `Roll back ${ns}/${name} in ${env} to ${version} (replaces ${replaces})`;
}

/**
 * The reason as a Markdown quote a reviewer reads as typed: control and bidi characters are
 * dropped and angle brackets escaped, so it can neither hide text nor open a second
 * metadata block that would claim the PR for another pipeline.
 */
export function quoteReason(reason: string): string {
  const clean = reason
    // control and format characters (bidi overrides, zero-width), keeping line breaks
    .replace(/(?!\n)[\p{Cc}\p{Cf}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .trim();
  return clean
    .split('\n')
    .map((line) => `> ${line}`.trimEnd())
    .join('\n');
}

export function rollbackBody(args: { ns: string; name: string; env: string; version: string; replaces: string; reason: string; previous: string[]; author: string; files: FileChange[] }): string {
  return [
    `**Rollback** of **${args.ns}/${args.name}** in **${args.env}**: ${args.replaces} is replaced by ${args.version}, the version that ran before it.`,
    '',
    'Reason:',
    '',
    quoteReason(args.reason),
    '',
    promotionBody(args),
  ].join('\n');
}
