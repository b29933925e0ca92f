// A zod schema for the payload of every request channel. Main validates everything it
// receives: the renderer is treated as untrusted input. The mapped type makes a channel
// without a schema a compile error.
import { z } from 'zod';
import type { RequestChannel, RequestPayload } from '../common/ipc-contract';
import { RELEASE_LOG_MAX_DAYS } from '../common/release-log';

export type RequestSchemas = { [C in RequestChannel]: z.ZodType<RequestPayload<C>> };

const hostId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'a forge host id');
const planId = z.string().uuid();
const hostPayload = z.object({ host: hostId }).strict();
const planPayload = z.object({ planId }).strict();
// Only which pipeline and environment (and an approval gate's revision): main derives the rest.
const promotionRequest = z
  .object({
    pipelineId: z.string().min(3).max(600),
    targetEnv: z.string().min(1).max(253),
    revision: z.string().min(1).max(200).optional(),
  })
  .strict();
const batchPayload = z.object({ batchId: z.string().uuid() }).strict();
const pipelineId = z.string().min(3).max(600);
const envName = z.string().min(1).max(253);
const DAY_MS = 86_400_000;
// A time range of at most RELEASE_LOG_MAX_DAYS, optionally narrowed to one pipeline and environment.
const isoTime = z.string().max(40).datetime({ offset: true });
const releaseLogQuery = { from: isoTime, to: isoTime, pipelineId: pipelineId.optional(), env: envName.optional() };
const withinMaxRange = [(q: { from: string; to: string }) => Date.parse(q.to) - Date.parse(q.from) <= RELEASE_LOG_MAX_DAYS * DAY_MS, `a range of at most ${RELEASE_LOG_MAX_DAYS} days`] as const;

export const requestSchemas: RequestSchemas = {
  'app:get-info': z.undefined(),
  'board:subscribe': z.undefined(),
  'auth:list-hosts': z.undefined(),
  'auth:list-sessions': z.undefined(),
  'auth:sign-in': hostPayload,
  'auth:start-device-sign-in': hostPayload,
  'auth:cancel-sign-in': hostPayload,
  'auth:sign-out': hostPayload,
  'promotion:plan': promotionRequest,
  'promotion:apply': planPayload,
  'promotion:discard-plan': planPayload,
  'tokens:list': z.undefined(),
  'tokens:recheck': z
    .object({
      key: z
        .string()
        .max(800)
        .regex(/^([0-9a-f]{8}|secret:\S+)$/),
    })
    .strict(),
  'tokens:refresh': z.undefined(),
  'tokens:approve-host': z
    .object({
      host: z
        .string()
        .min(1)
        .max(300)
        .regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/, 'a host or host:port'),
    })
    .strict(),
  'update:get-state': z.undefined(),
  'update:check': z.undefined(),
  'update:install': z.undefined(),
  'settings:get': z.undefined(),
  'settings:choose-kubeconfig': z.undefined(),
  'settings:approve-exec-plugins': z.undefined(),
  // Which pipeline and environment, and why (at most ROLLBACK_REASON_MAX): main derives both versions from its own board.
  'promotion:plan-rollback': z.object({ pipelineId, env: envName, reason: z.string().max(2000).trim().min(1) }).strict(),
  'releases:list': z
    .object(releaseLogQuery)
    .strict()
    .refine(...withinMaxRange),
  'releases:export': z
    .object({ ...releaseLogQuery, format: z.enum(['csv', 'markdown']) })
    .strict()
    .refine(...withinMaxRange),
  'settings:update': z
    .object({
      // only "back to the default": a file is chosen in main's own dialog (settings:choose-kubeconfig)
      kubeconfigPath: z.null().optional(),
      clusterContextOverrides: z
        .record(z.string().min(1).max(300), z.string().min(1).max(300))
        .refine((r) => Object.keys(r).length <= 500, 'at most 500 cluster overrides')
        .optional(),
      readPromotionSecrets: z.boolean().optional(),
      approvedForgeHosts: z.array(z.string().min(1).max(300)).max(200).optional(),
      readGitopsClusterSecrets: z.boolean().optional(),
      checkUpdatesAutomatically: z.boolean().optional(),
      notifyPromotions: z.boolean().optional(),
      theme: z.enum(['system', 'light', 'dark']).optional(),
      density: z.enum(['comfortable', 'compact']).optional(),
      forgeHosts: z
        .array(
          z
            .object({
              id: z.string().min(1).max(200).optional(),
              type: z.enum(['github', 'gitlab']),
              webUrl: z.string().url().max(2000),
              clientId: z.string().min(1).max(200),
              clientSecret: z.string().min(1).max(400).optional(),
            })
            .strict(),
        )
        .max(50)
        .optional(),
    })
    .strict(),
  'forges:list-capabilities': z.undefined(),
  // at most MAX_BATCH_ROWS (common/promotion.ts) rows; schemas-bounds.test.ts holds the two together
  'promotion:plan-batch': z.object({ rows: z.array(promotionRequest).min(1).max(200) }).strict(),
  'promotion:apply-batch': batchPayload,
  'promotion:retry-batch': batchPayload,
  'promotion:discard-batch': batchPayload,
};
