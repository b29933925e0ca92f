// A zod schema for the payload of every request channel. Main validates everything it
// receives: the renderer is treated as untrusted input. The mapped type makes a channel
// without a schema a compile error.
import { z } from 'zod';
import type { RequestChannel, RequestPayload } from '../common/ipc-contract';

export type RequestSchemas = { [C in RequestChannel]: z.ZodType<RequestPayload<C>> };

const hostId = z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'a forge host id');
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
  'tokens:recheck': z.object({ key: z.string().max(800).regex(/^([0-9a-f]{8}|secret:\S+)$/) }).strict(),
  'tokens:refresh': z.undefined(),
  'tokens:approve-host': z.object({ host: z.string().min(1).max(300).regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/, 'a host or host:port') }).strict(),
  'update:get-state': z.undefined(),
  'update:check': z.undefined(),
  'update:install': z.undefined(),
  'settings:get': z.undefined(),
  'settings:choose-kubeconfig': z.undefined(),
  'settings:approve-exec-plugins': z.undefined(),
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
