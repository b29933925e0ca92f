// Promotion benchmark: a config repo padded to `repoFiles` files on the sandbox forge, a real
// loopback sign-in, then plan + apply of a user-driven promotion. Reports the forge API calls
// of the whole promotion (from the request log) and the confirm → PR time (apply only: what
// the user waits for after pressing Promote). Targets: ≤ 8 API calls, ≤ 1.5 s.
//
//   npx tsx test/bench/promotion.ts [repoFiles]

import { pathToFileURL } from 'node:url';
import { createPromotionService } from '../../src-main/git/promotion-service';
import { scalePipelineName, scaleTeam } from '../sandbox/seeds/scale';
import { signedInScaleRepo } from './promotion-sandbox';

export interface PromotionBenchOptions {
  repoFiles: number;
  /** generated pipelines (each has 4 marked files); default 100 */
  pipelines?: number;
  /** promotions measured (different pipelines); default 3 */
  iterations?: number;
}

export interface PromotionBenchResult {
  repoFiles: number;
  /** REST calls under /api/v3 for one promotion (plan + apply), worst iteration */
  apiCalls: number;
  /** archive downloads the tarball call redirected to (not API calls), per promotion */
  archiveDownloads: number;
  /** apply (confirm → PR opened), median over iterations, ms */
  confirmToPrMs: number;
  /** plan (read repo, compute changes), median, ms */
  planMs: number;
  samples: { planMs: number; confirmToPrMs: number; apiCalls: number }[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

export async function runPromotionBench(options: PromotionBenchOptions): Promise<PromotionBenchResult> {
  const pipelines = options.pipelines ?? 100;
  const iterations = options.iterations ?? 3;
  const { fx, repoName, repoUrl, vault, auth } = await signedInScaleRepo(pipelines, options.repoFiles);
  try {
    const repoState = fx.forge.state.raw.repo(repoName);
    const fileCount = repoState ? repoState.objects.flatten(repoState.objects.commit(repoState.refs.get('refs/heads/main') as string)?.tree as string).size : 0;

    const samples: PromotionBenchResult['samples'] = [];
    let archiveDownloads = 0;
    for (let i = 0; i < iterations; i++) {
      // a service per promotion: each plan reads the repository cold (the service keeps a commit's marked files)
      const service = createPromotionService({ hosts: [fx.oauthHost], vault });
      fx.forge.requestLog.reset();
      const t0 = performance.now();
      const plan = await service.plan({
        pipelineNamespace: scaleTeam(i),
        pipelineName: scalePipelineName(i),
        targetEnv: 'prod',
        version: `99.0.${i}`,
        strategy: { kind: 'pull-request', manual: false, provider: 'github', repoUrl, baseBranch: 'main', source: 'pipeline' },
      });
      const t1 = performance.now();
      if (!plan.ok) throw new Error(`plan failed: ${plan.error.message}`);
      const applied = await service.apply(plan.value.id);
      const t2 = performance.now();
      if (!applied.ok) throw new Error(`apply failed: ${applied.error.message}`);
      const entries = fx.forge.requestLog.entries();
      archiveDownloads = Math.max(archiveDownloads, entries.filter((e) => e.route.startsWith('GET /_codeload/')).length);
      samples.push({ planMs: Math.round(t1 - t0), confirmToPrMs: Math.round(t2 - t1), apiCalls: entries.filter((e) => e.path.startsWith('/api/v3/')).length });
    }
    auth.shutdown();
    return {
      repoFiles: fileCount,
      apiCalls: Math.max(...samples.map((s) => s.apiCalls)),
      archiveDownloads,
      confirmToPrMs: median(samples.map((s) => s.confirmToPrMs)),
      planMs: median(samples.map((s) => s.planMs)),
      samples,
    };
  } finally {
    await fx.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const repoFiles = Number(process.argv[2] ?? 5000);
  const result = await runPromotionBench({ repoFiles });
  console.log(JSON.stringify(result, null, 2));
}
