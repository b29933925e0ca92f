// Pure pieces of a promotion: the controller-compatible branch/title/body conventions,
// request validation, and turning the repo's marked files into exact line changes.
// No I/O here; promotion-service.ts does the talking.

import type { FileChange, PromotionError, PromotionEvidence, PromotionOrder } from '../common/promotion';
import { isPromotableVersion } from '../common/promotion-eligibility';
import { applyPromotionMarker, MarkerError, promotionMarker, promotionMarkerKey } from './markers';
import type { RepoTextFile } from '../forges/git-provider';
import { evidenceLines } from './promotion-evidence';

export class PromotionFailure extends Error implements PromotionError {
  override readonly name = 'PromotionFailure';
  constructor(
    readonly code: PromotionError['code'],
    message: string,
    readonly hint?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
  toError(): PromotionError {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
    };
  }
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function promotionBranchName(ns: string, name: string, env: string): string {
  return `promotion-${ns}-${name}-${env}`;
}

export function promotionTitle(ns: string, name: string, env: string, version: string): string {
  return `Promote ${ns}/${name} in ${env} to ${version}`;
}

/**
 * The pipeline-controller's own metadata block, byte for byte (other tools find promotion PRs
 * by it, and its "DO NOT EDIT" line tells people not to touch it).
 */
export function controllerMetadataBlock(ns: string, name: string, env: string): string {
  return `<details>\n<summary>metadata</summary>\n!!! DO NOT EDIT !!!\n\n${ns}/${name}/${env}\n</details>`;
}

export function promotionBody(args: { ns: string; name: string; env: string; version: string; previous: string[]; author: string; files: FileChange[]; evidence?: PromotionEvidence }): string {
  const from = [...new Set(args.previous)].filter((v) => v !== args.version);
  const summary = `Promotes **${args.ns}/${args.name}** into **${args.env}**: ${from.length > 0 ? `${from.join(', ')} → ` : ''}${args.version}.`;
  const files = args.files.map((f) => `- \`${f.path}\` (line${f.changes.length > 1 ? 's' : ''} ${f.changes.map((c) => c.line).join(', ')})`);
  return [
    summary,
    '',
    `Opened with Release Board by @${args.author}.`,
    '',
    ...(args.evidence ? [...evidenceLines(args.evidence), ''] : []),
    'Changed:',
    ...files,
    '',
    controllerMetadataBlock(args.ns, args.name, args.env),
  ].join('\n');
}

/** `<ns>/<name>/<env>` from a PR body's metadata block, as other tools find promotion PRs. */
export function parsePromotionMetadata(body: string): { pipelineNamespace: string; pipelineName: string; targetEnv: string } | undefined {
  const block = /<details>\s*<summary>\s*metadata\s*<\/summary>([\s\S]*?)<\/details>/i.exec(body);
  if (!block) return undefined;
  const m = /^\s*([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*)\/([A-Za-z0-9][-A-Za-z0-9_.]*)\s*$/m.exec(block[1] ?? '');
  if (!m) return undefined;
  return { pipelineNamespace: m[1] as string, pipelineName: m[2] as string, targetEnv: m[3] as string };
}

/**
 * Checks a derived promotion before anything touches the network (a second line of defence:
 * the order was built by main from its board, see derivePromotion). `supportedProviders`:
 * the strategy provider names some configured forge can promote through (from the forge
 * registry); a strategy naming another one is refused as unsupported.
 */
export function validatePromotionOrder(req: PromotionOrder, supportedProviders?: readonly string[]): { repoUrl: string; baseBranch: string; provider?: string } {
  const bad = (m: string): never => {
    throw new PromotionFailure('invalid-request', m);
  };
  if (!NAME.test(req.pipelineNamespace) || !NAME.test(req.pipelineName)) bad('The pipeline namespace or name is not a valid Kubernetes name.');
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(req.targetEnv)) bad('The environment name is not valid.');
  if (typeof req.version !== 'string' || !isPromotableVersion(req.version)) {
    bad('The version may contain only letters, digits, ".", "_", "+" and "-" (optionally @sha1:/@sha256: and a digest), at most 128 characters.');
  }
  const s = req.strategy;
  if (s.kind !== 'pull-request') bad(`Promotions into ${req.targetEnv} use the ${s.kind} strategy, not pull requests.`);
  if (s.provider && supportedProviders && !supportedProviders.includes(s.provider)) {
    throw new PromotionFailure('unsupported-provider', `Promotion through ${s.provider} is not supported yet.`, `Supported: ${supportedProviders.join(', ')}.`);
  }
  if (!s.repoUrl) bad('The pull-request strategy has no repository URL.');
  if (!s.baseBranch) bad('The pull-request strategy has no base branch.');
  return { repoUrl: s.repoUrl as string, baseBranch: s.baseBranch as string, ...(s.provider ? { provider: s.provider } : {}) };
}

export interface FileEdits {
  files: FileChange[];
  newFiles: RepoTextFile[];
  previous: string[];
}

/** Applies the marker edit to every candidate file. Refuses when no file carries the marker. */
export function editMarkedFiles(candidates: RepoTextFile[], ns: string, name: string, env: string, version: string, repoLabel: string): FileEdits {
  const key = promotionMarkerKey(ns, name, env);
  const files: FileChange[] = [];
  const newFiles: RepoTextFile[] = [];
  const previous: string[] = [];
  let marked = 0;
  for (const f of candidates) {
    let r;
    try {
      r = applyPromotionMarker(f.content, key, version);
    } catch (e) {
      if (e instanceof MarkerError) throw new PromotionFailure('marker-unsupported', `${f.path}: ${e.message}.`, 'Put the marker comment right after a plain or quoted value on the same line.');
      throw e;
    }
    if (r.previousValues.length > 0) marked++;
    previous.push(...r.previousValues);
    if (r.changes.length === 0) continue;
    files.push({ path: f.path, changes: r.changes });
    newFiles.push({ path: f.path, content: r.content, mode: f.mode });
  }
  if (marked === 0) {
    throw new PromotionFailure(
      'marker-not-found',
      `No value in ${repoLabel} carries the marker ${promotionMarker(ns, name, env)}; nothing was changed.`,
      'Add that comment after the version to promote in the config repository (as the pipeline-controller expects).',
    );
  }
  if (files.length === 0) throw new PromotionFailure('already-at-version', `Every value marked for ${ns}/${name} in ${env} is already ${version}.`);
  return { files, newFiles, previous };
}
