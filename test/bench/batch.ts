// Batch promotion benchmark: 50 promotions (different pipelines, one config repo padded to
// `repoFiles` files) reviewed as one batch, then applied with the app's bounded concurrency.
// Reports the forge API calls per PR (the sandbox forge's request log, review + apply) and how
// fast the PRs open after Confirm. Target: 50 PRs in ≤ 30 s, ≤ 8 API calls per PR.
//
//   npx tsx test/bench/batch.ts [repoFiles] [rows]

import { pathToFileURL } from 'node:url';
import { createBatchPromotions } from '../../src-main/git/batch-promotion';
import { createPromotionService } from '../../src-main/git/promotion-service';
import type { PromotionOrder } from '../../src-main/common/promotion';
import { ok } from '../../src-main/common/result';
import { scalePipelineName, scaleTeam } from '../sandbox/seeds/scale';
import { signedInScaleRepo } from './promotion-sandbox';

export interface BatchBenchResult {
  rows: number;
  repoFiles: number;
  concurrency: number;
  /** PRs opened per minute from Confirm to the last PR (apply only) */
  prsPerMinute: number;
  /** Confirm → every PR opened, ms */
  applyMs: number;
  /** review: read the repository for every row, ms */
  planMs: number;
  /** forge REST calls under /api/v3 for review + apply, divided by the PRs opened */
  apiCallsPerPr: number;
  /** archive downloads the tarball calls redirected to (not API calls), for the whole batch */
  archiveDownloads: number;
  opened: number;
}

export async function runBatchBench(options: { repoFiles: number; rows?: number }): Promise<BatchBenchResult> {
  const rows = options.rows ?? 50;
  const { fx, repoUrl, vault, auth } = await signedInScaleRepo(rows, options.repoFiles);
  try {
    const service = createPromotionService({ hosts: [fx.oauthHost], vault });
    // What main's board would derive for each row (the bench has no cluster): a new version into prod.
    const orders = new Map<string, PromotionOrder>();
    for (let i = 0; i < rows; i++) {
      const id = `${scaleTeam(i)}/${scalePipelineName(i)}`;
      orders.set(id, {
        pipelineNamespace: scaleTeam(i),
        pipelineName: scalePipelineName(i),
        targetEnv: 'prod',
        version: `99.0.${i}`,
        strategy: { kind: 'pull-request', manual: false, provider: 'github', repoUrl, baseBranch: 'main', source: 'pipeline' },
      });
    }
    const concurrency = 4;
    const batches = createBatchPromotions({ derive: async (r) => ok(orders.get(r.pipelineId)!), promotion: service, emit: () => {}, concurrency });
    fx.forge.requestLog.reset();
    const t0 = performance.now();
    const planned = await batches.plan([...orders.keys()].map((pipelineId) => ({ pipelineId, targetEnv: 'prod' })));
    const t1 = performance.now();
    const refused = planned.rows.find((r) => r.state !== 'planned');
    if (refused) throw new Error(`row ${refused.key} was not planned: ${refused.error?.message}`);
    const applied = await batches.apply(planned.batchId);
    const t2 = performance.now();
    if (!applied.ok) throw new Error(applied.error.message);
    const opened = applied.value.rows.filter((r) => r.state === 'opened').length;
    const entries = fx.forge.requestLog.entries();
    auth.shutdown();
    const applyMs = Math.round(t2 - t1);
    return {
      rows,
      repoFiles: options.repoFiles,
      concurrency,
      prsPerMinute: Math.round((opened / (t2 - t1)) * 60_000),
      applyMs,
      planMs: Math.round(t1 - t0),
      apiCallsPerPr: Number((entries.filter((e) => e.path.startsWith('/api/v3/')).length / Math.max(1, opened)).toFixed(2)),
      archiveDownloads: entries.filter((e) => e.route.startsWith('GET /_codeload/')).length,
      opened,
    };
  } finally {
    await fx.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runBatchBench({ repoFiles: Number(process.argv[2] ?? 5000), rows: Number(process.argv[3] ?? 50) });
  console.log(JSON.stringify(result, null, 2));
}
