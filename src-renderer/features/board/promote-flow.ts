// Pure helpers for the promote dialog: step and button wording in the forge's terms, which configured host serves the
// repository, and how each plan error is put to the user. Unit-tested.
import type { EffectiveStrategy, PipelineRow } from '../../../src-main/common/board';
import type { ForgeCapabilities } from '../../../src-main/common/forges';
import type { FileChange, PromotionStep } from '../../../src-main/common/promotion';
import type { AppError } from '../../../src-main/common/result';
import { sameVersion, type DerivedPromotion } from '../../../src-main/common/promotion-eligibility';
import type { ForgeHostSummary } from '../../../src-main/common/session';
import { promotionMarker } from '../../../src-main/common/promotion-naming';
import { presentError } from '../../components/error-presenter';
import { changeRequestWordsFor, type ChangeRequestWords } from '../forges/forge-capabilities';

export const STEPS: readonly PromotionStep[] = ['sign-in', 'read-repo', 'commit', 'open-pr'];

/** The words of the forge a promotion of `pipelineId` into `targetEnv` goes through (its strategy's provider). */
export function wordsForTarget(capabilities: readonly ForgeCapabilities[], rowsById: Readonly<Record<string, PipelineRow>>, target: { pipelineId: string; targetEnv: string }): ChangeRequestWords {
  const env = rowsById[target.pipelineId]?.environments.find((e) => e.name === target.targetEnv);
  return changeRequestWordsFor(capabilities, env?.strategy.provider);
}

/** "open" for a new PR, "update" when one is already open from the promotion branch. */
export function stepLabels(words: ChangeRequestWords, updating = false): Record<PromotionStep, string> {
  return { 'sign-in': 'Check your sign-in', 'read-repo': 'Read the repository', commit: 'Commit the change', 'open-pr': `${updating ? 'Update' : 'Open'} the ${words.noun}` };
}

export function confirmLabel(words: ChangeRequestWords, updating: boolean): string {
  return `Confirm and ${updating ? 'update' : 'open'} ${words.noun}`;
}

function origin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The configured host whose web URL serves the strategy's repository (longest prefix wins). */
export function hostForRepo(hosts: readonly ForgeHostSummary[], strategy: EffectiveStrategy): ForgeHostSummary | undefined {
  const repo = strategy.repoUrl ? origin(strategy.repoUrl) : undefined;
  if (!repo) return undefined;
  return hosts
    .filter((h) => {
      const base = origin(h.webUrl);
      return base !== undefined && (repo === base || repo.startsWith(`${base}/`));
    })
    .sort((a, b) => b.webUrl.length - a.webUrl.length)[0];
}

export interface PlanErrorView {
  title: string;
  message: string;
  /** Extra text shown monospace (the marker looked for). */
  detail?: string;
  signInHost?: string;
  signInLabel?: string;
  /** Whether trying again could help without changing anything else. */
  retry: boolean;
}

const MARKER = /#\s*\{"\$promotion":\s*"[^"]*"\}/;

export function planErrorView(error: AppError & { retryAfterSeconds?: number }, host: ForgeHostSummary | undefined, words: ChangeRequestWords): PlanErrorView {
  const label = host ? new URL(host.webUrl).host : 'your Git host';
  switch (error.code) {
    case 'sign-in-required':
    case 'sign-in-failed':
      return {
        title: `Sign in to ${label} to promote`,
        message: error.code === 'sign-in-required' ? `Release Board opens the ${words.noun} as you, so it needs your sign-in. Your browser opens to confirm it.` : error.message,
        ...(host ? { signInHost: host.id, signInLabel: label } : {}),
        retry: false,
      };
    case 'marker-not-found': {
      const marker = MARKER.exec(error.message)?.[0];
      return { title: 'No promotion marker found', message: error.message, ...(marker ? { detail: marker } : {}), retry: true };
    }
    case 'marker-unsupported':
      return { title: 'A marker cannot be edited safely', message: error.message, retry: true };
    case 'no-access':
      return { title: 'No access to the repository', message: error.message, retry: true };
    case 'rate-limited': {
      const shown = presentError(error);
      return { title: shown.title, message: shown.waitFor ? `${error.message} Try again in ${shown.waitFor}.` : error.message, retry: true };
    }
    case 'already-at-version':
    case 'unsupported-provider':
    case 'unknown-host':
      return { title: presentError(error).title, message: error.message, retry: false };
    default:
      return { title: 'The promotion could not be prepared', message: error.message, retry: true };
  }
}

/** The marker comment a pipeline environment's values carry (as the controller writes it). */
export function expectedMarker(ns: string, name: string, env: string): string {
  return promotionMarker(ns, name, env);
}

export function sameFiles(a: readonly FileChange[], b: readonly FileChange[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Why an approval promotes this revision, saying so plainly when the upstream environment does not run it everywhere. */
export function approvalWhy(e: DerivedPromotion, revision: string): string {
  const head = `${e.to.name} is waiting for approval of ${revision}, the revision the pipeline controller chose: this promotes exactly that revision.`;
  if (!e.from) return head;
  const elsewhere = e.from.targets.filter((t) => t.deployedVersion !== undefined && !sameVersion(t.deployedVersion, revision) && t.deployedRevision !== revision);
  if (e.from.rollup.state === 'healthy' && elsewhere.length === 0) return head;
  const upstream = elsewhere.length > 0 ? `${e.from.name} runs other versions on ${elsewhere.length} of ${e.from.targets.length} targets` : `${e.from.name} is not healthy right now`;
  return `${head} ${upstream}, which does not block an approval the controller is already waiting for.`;
}
