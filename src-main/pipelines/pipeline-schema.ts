// Defensive parsing of Pipeline objects (pipelines.weave.works/v1alpha1) as read from a
// cluster. The API server validates against the CRD, but old CRD versions, hand-applied
// objects and hostile inputs still reach us, so nothing here throws: a broken Pipeline
// becomes a parsed shell plus problems, and each environment is validated on its own so
// one bad entry does not hide the rest of the row.

import { z } from 'zod';
import type { Problem } from '../common/board';
import { boundedMemo } from './bounded-memo';

/** Bounds that keep a hostile object from making the board (or the main process) slow. */
export const PIPELINE_LIMITS = {
  environments: 32,
  targetsPerEnvironment: 256,
  nameLength: 253,
  statusTargets: 1024,
} as const;

const name = z.string().min(1).max(PIPELINE_LIMITS.nameLength);

const secretRefSchema = z.object({ name });

const pullRequestSchema = z.object({
  type: z.enum(['github', 'gitlab', 'bitbucket-server']),
  url: z.string().min(1).max(2048),
  baseBranch: z.string().min(1).max(255),
  secretRef: secretRefSchema,
});

const strategySchema = z.object({
  'pull-request': pullRequestSchema.optional(),
  notification: z.object({}).optional(),
  secretRef: secretRefSchema.optional(),
});

const promotionSchema = z.object({
  manual: z.boolean().optional(),
  strategy: strategySchema,
});

const clusterRefSchema = z.object({
  apiVersion: z.string().max(253).optional(),
  kind: z.literal('GitopsCluster'),
  name,
  namespace: name.optional(),
});

const targetSchema = z.object({
  namespace: name,
  clusterRef: clusterRefSchema.optional(),
});

const environmentSchema = z.object({
  name,
  promotion: promotionSchema.optional(),
  targets: z.array(z.unknown()).max(PIPELINE_LIMITS.targetsPerEnvironment),
});

const appRefSchema = z.object({ apiVersion: z.string().min(1).max(253), kind: name, name });

const metadataSchema = z.object({ name, namespace: name, generation: z.number().optional() });

export type PromotionSpec = z.infer<typeof promotionSchema>;
export type ClusterRef = z.infer<typeof clusterRefSchema>;
export type TargetSpec = z.infer<typeof targetSchema>;
export interface EnvironmentSpec {
  name: string;
  promotion?: PromotionSpec;
  targets: TargetSpec[];
}
export type AppRef = z.infer<typeof appRefSchema>;

/** What the status says about one environment (keyed by target env name). */
export interface EnvironmentStatus {
  waitingApprovalRevision?: string;
  targets?: Array<{
    clusterName?: string;
    clusterNamespace?: string;
    ready: boolean;
    revision?: string;
    error?: string;
  }>;
}

export interface ParsedPipeline {
  namespace: string;
  name: string;
  /** null when the appRef itself is malformed. */
  appRef: AppRef | null;
  promotion?: PromotionSpec;
  environments: EnvironmentSpec[];
  /** Keyed by environment name; a Map so env names like "__proto__" are plain keys. */
  status: Map<string, EnvironmentStatus>;
  problems: Problem[];
}

const MALFORMED_HINT = 'Fix the Pipeline with kubectl edit; the board shows what it could read.';

function describeIssues(prefix: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${prefix}${path}: ${issue.message}`;
  });
  if (error.issues.length > 5) parts.push(`…and ${error.issues.length - 5} more`);
  return parts.join('; ');
}

function malformed(message: string): Problem {
  return { code: 'malformed-pipeline', message, hint: MALFORMED_HINT };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own property only, so "__proto__" or inherited names never leak in. */
function own(obj: unknown, key: string): unknown {
  return isRecord(obj) && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * Parses a raw Pipeline object. Never throws; `problems` lists everything that was
 * ignored. `fallbackId` names the object when even its metadata is unreadable.
 */
export function parsePipeline(raw: unknown, fallbackId = 'unknown/unknown'): ParsedPipeline {
  const problems: Problem[] = [];
  const meta = metadataSchema.safeParse(own(raw, 'metadata'));
  const [fallbackNs = 'unknown', fallbackName = 'unknown'] = fallbackId.split('/');
  const namespace = meta.success ? meta.data.namespace : fallbackNs;
  const pipelineName = meta.success ? meta.data.name : fallbackName;
  if (!meta.success) problems.push(malformed(describeIssues('metadata', meta.error)));

  const spec = own(raw, 'spec');
  const result: ParsedPipeline = {
    namespace,
    name: pipelineName,
    appRef: null,
    environments: [],
    status: new Map(),
    problems,
  };
  if (!isRecord(spec)) {
    problems.push(malformed('spec: expected an object'));
    return result;
  }

  const appRef = appRefSchema.safeParse(own(spec, 'appRef'));
  if (appRef.success) result.appRef = appRef.data;
  else problems.push(malformed(describeIssues('spec.appRef', appRef.error)));

  const rawPromotion = own(spec, 'promotion');
  if (rawPromotion !== undefined) {
    const promotion = promotionSchema.safeParse(rawPromotion);
    if (promotion.success) {
      result.promotion = promotion.data;
      problems.push(...strategyProblems('spec.promotion', promotion.data));
    } else problems.push(malformed(describeIssues('spec.promotion', promotion.error)));
  }

  const rawEnvs = own(spec, 'environments');
  if (!Array.isArray(rawEnvs)) {
    problems.push(malformed('spec.environments: expected an array'));
  } else {
    if (rawEnvs.length > PIPELINE_LIMITS.environments) {
      problems.push(malformed(`spec.environments: ${rawEnvs.length} entries, only the first ${PIPELINE_LIMITS.environments} are shown`));
    }
    const seen = new Set<string>();
    rawEnvs.slice(0, PIPELINE_LIMITS.environments).forEach((rawEnv, i) => {
      const env = parseEnvironment(rawEnv, i, problems);
      if (!env) return;
      if (seen.has(env.name)) {
        problems.push(malformed(`spec.environments[${i}].name: duplicate environment "${env.name}", ignored`));
        return;
      }
      seen.add(env.name);
      result.environments.push(env);
    });
  }

  result.status = parseStatus(own(raw, 'status'), result.environments);
  return result;
}

function parseEnvironment(rawEnv: unknown, index: number, problems: Problem[]): EnvironmentSpec | null {
  const prefix = `spec.environments[${index}]`;
  const env = environmentSchema.safeParse(rawEnv);
  if (!env.success) {
    problems.push(malformed(describeIssues(prefix, env.error)));
    return null;
  }
  const targets: TargetSpec[] = [];
  env.data.targets.forEach((rawTarget, j) => {
    const target = targetSchema.safeParse(rawTarget);
    if (target.success) targets.push(target.data);
    else problems.push(malformed(describeIssues(`${prefix}.targets[${j}]`, target.error)));
  });
  if (env.data.promotion) problems.push(...strategyProblems(`${prefix}.promotion`, env.data.promotion));
  const out: EnvironmentSpec = { name: env.data.name, targets };
  if (env.data.promotion) out.promotion = env.data.promotion;
  return out;
}

/** Plain HTTP is tolerated only to this machine (a local forge); it never leaves the host. */
// Fleets share a handful of repository URLs across thousands of Pipelines: parse each once.
const isLoopbackHttp = boundedMemo(1024, (url) => parseLoopbackHttp(url));

function parseLoopbackHttp(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);
  } catch {
    return false;
  }
}

function strategyProblems(prefix: string, promotion: PromotionSpec): Problem[] {
  const pr = promotion.strategy['pull-request'];
  if (pr && !/^https:\/\//i.test(pr.url) && !isLoopbackHttp(pr.url)) {
    return [
      {
        code: 'promotion-url-not-https',
        message: `${prefix}.strategy.pull-request.url must be an HTTPS URL (got "${pr.url.slice(0, 200)}")`,
        hint: 'Use the https:// clone URL of the config repository.',
      },
    ];
  }
  return [];
}

function parseStatus(rawStatus: unknown, envs: EnvironmentSpec[]): Map<string, EnvironmentStatus> {
  const out = new Map<string, EnvironmentStatus>();
  const environments = own(rawStatus, 'environments');
  if (!isRecord(environments)) return out;
  // Only look up the env names the spec declares: bounded work whatever the status holds.
  for (const env of envs) {
    const entry = own(environments, env.name);
    if (!isRecord(entry)) continue;
    const status: EnvironmentStatus = {};
    const revision = own(own(entry, 'waitingApproval'), 'revision');
    if (typeof revision === 'string' && revision.length > 0) status.waitingApprovalRevision = revision.slice(0, 255);
    const targets = own(entry, 'targets');
    if (Array.isArray(targets)) {
      status.targets = targets.slice(0, PIPELINE_LIMITS.statusTargets).flatMap((t) => {
        if (!isRecord(t)) return [];
        const clusterRef = own(own(t, 'clusterAppRef'), 'clusterRef');
        const item: NonNullable<EnvironmentStatus['targets']>[number] = { ready: own(t, 'ready') === true };
        const clusterName = own(clusterRef, 'name');
        const clusterNamespace = own(clusterRef, 'namespace');
        const rev = own(t, 'revision');
        const error = own(t, 'error');
        if (typeof clusterName === 'string') item.clusterName = clusterName;
        if (typeof clusterNamespace === 'string') item.clusterNamespace = clusterNamespace;
        if (typeof rev === 'string') item.revision = rev;
        if (typeof error === 'string' && error.length > 0) item.error = error.slice(0, 2000);
        return [item];
      });
    }
    out.set(env.name, status);
  }
  return out;
}
