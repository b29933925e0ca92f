// Promotion as the renderer drives it: the single review of the promote dialog and the batch
// review, each an explicit state machine (promotion-machine.ts), plus the cells selected for a
// batch. The dialogs read these phases and call these actions; only this slice talks to main
// about promotions. A review is identified by a session number: an answer that arrives after
// its review was closed or replaced is dropped (and a plan it carried is discarded in main).
import type { StateCreator } from 'zustand';
import type { PromotionPlan, PromotionRequest } from '../../src-main/common/promotion';
import type { Result } from '../../src-main/common/result';
import { bridge } from '../bridge/release-board';
import { sameFiles, wordsForTarget } from '../features/board/promote-flow';
import { changeRequestWords } from '../features/forges/forge-capabilities';
import type { AppState } from './store';
import { batchTransition, idleBatch, idleReview, reviewTransition, type BatchEvent, type BatchPhase, type ReviewEvent, type ReviewPhase } from './promotion-machine';

export interface PromotionSlice {
  /** The promote dialog's review. */
  review: ReviewPhase;
  /** Reads the repository for the exact changes of `request` (a new review); GitLab calls it a merge request. */
  startReview(request: PromotionRequest): Promise<void>;
  /** Plans the current review again (Try again, or after a sign-in). */
  replanReview(): Promise<void>;
  confirmReview(): Promise<void>;
  /** After a failed apply: plan again; identical changes go straight through, others are shown for review. */
  retryReview(): Promise<void>;
  /** Signs in from the review; a session, once there, is planned with by the dialog (replanReview). */
  signInForReview(host: string): Promise<void>;
  closeReview(): void;

  /** The batch review. */
  batch: BatchPhase;
  /** Cells picked for a batch, keyed "rowId|envIndex" (the cell whose version moves on). */
  batchSelection: Record<string, true>;
  toggleBatchCell(key: string): void;
  selectBatchCells(keys: string[]): void;
  clearBatchSelection(): void;
  /** The batch bar (presets, selection count) is shown while open or while cells are selected. */
  batchBarOpen: boolean;
  setBatchBar(open: boolean): void;
  startBatch(requests: PromotionRequest[]): Promise<void>;
  confirmBatch(): Promise<void>;
  retryBatch(): Promise<void>;
  closeBatch(): void;
}

/** Awaits a request while an event listener follows its progress; `off` ends the listening. */
async function listening<T>(off: () => void, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } finally {
    off();
  }
}

function hostLabel(hosts: AppState['hosts'], id: string): string {
  const host = hosts?.find((h) => h.id === id);
  try {
    return host ? new URL(host.webUrl).host : id;
  } catch {
    return id;
  }
}

export const createPromotionSlice: StateCreator<AppState, [], [], PromotionSlice> = (set, get) => {
  let reviewSession = 0;
  let reviewRequest: PromotionRequest | null = null;
  let batchSession = 0;
  const review = (event: ReviewEvent) => set({ review: reviewTransition(get().review, event) });
  const batch = (event: BatchEvent) => set({ batch: batchTransition(get().batch, event) });

  /** Asks main for a plan; resolves with it if the review it was asked for is still open. */
  const plan = async (session: number): Promise<PromotionPlan | null> => {
    if (!reviewRequest) return null;
    const result: Result<PromotionPlan> = await bridge.request('promotion:plan', reviewRequest);
    if (session !== reviewSession) {
      if (result.ok) void bridge.request('promotion:discard-plan', { planId: result.value.id });
      return null;
    }
    if (!result.ok) {
      review({ type: 'plan-failed', error: result.error });
      return null;
    }
    return result.value;
  };

  const apply = async (session: number, p: PromotionPlan): Promise<void> => {
    review({ type: 'apply-started', plan: p });
    const result = await listening(
      bridge.on('promotion:progressed', (progress) => session === reviewSession && review({ type: 'step-progressed', progress })),
      bridge.request('promotion:apply', { planId: p.id }),
    );
    if (session !== reviewSession) return;
    if (!result.ok) {
      review({ type: 'apply-failed', error: result.error });
      return;
    }
    review({ type: 'applied', result: result.value });
    const words = reviewRequest ? wordsForTarget(get().forgeCapabilities, get().rowsById, reviewRequest) : changeRequestWords(undefined);
    get().announce(`${result.value.updated ? 'Updated' : 'Opened'} ${words.noun} ${words.ref(result.value.number)} for ${p.pipelineName} in ${p.targetEnv}.`);
  };

  /** Runs a batch request (apply or retry) with per-row progress. */
  const runBatch = async (channel: 'promotion:apply-batch' | 'promotion:retry-batch', started: BatchEvent): Promise<void> => {
    const phase = get().batch;
    if (phase.kind !== 'review' && phase.kind !== 'finished' && phase.kind !== 'apply-error') return;
    const session = batchSession;
    const { batchId } = phase.batch;
    batch(started);
    if (get().batch.kind !== 'applying') return;
    const result = await listening(
      bridge.on('promotion:batch-progressed', (progress) => session === batchSession && batch({ type: 'row-progressed', progress })),
      bridge.request(channel, { batchId }),
    );
    if (session !== batchSession) return;
    if (!result.ok) {
      batch({ type: 'apply-failed', error: result.error });
      return;
    }
    batch({ type: 'applied', batch: result.value });
    const opened = result.value.rows.filter((r) => r.state === 'opened' || r.state === 'updated').length;
    const failed = result.value.rows.filter((r) => r.state === 'failed').length;
    get().announce(`Batch promotion: ${opened} of ${result.value.rows.length} opened${failed ? `, ${failed} failed` : ''}.`, failed ? 'refusal' : 'info');
  };

  return {
    review: idleReview,
    async startReview(request) {
      const session = ++reviewSession;
      reviewRequest = request;
      review({ type: 'closed' });
      review({ type: 'plan-started' });
      const p = await plan(session);
      if (p) review({ type: 'planned', plan: p });
    },
    async replanReview() {
      const session = reviewSession;
      review({ type: 'plan-started' });
      const p = await plan(session);
      if (p) review({ type: 'planned', plan: p });
    },
    async confirmReview() {
      const phase = get().review;
      if (phase.kind === 'review') await apply(reviewSession, phase.plan);
    },
    async retryReview() {
      const phase = get().review;
      if (phase.kind !== 'apply-error') return;
      const session = reviewSession;
      review({ type: 'plan-started' });
      const fresh = await plan(session);
      if (!fresh) return;
      if (sameFiles(fresh.files, phase.plan.files)) await apply(session, fresh);
      else review({ type: 'planned', plan: fresh, replanned: true });
    },
    async signInForReview(host) {
      const session = reviewSession;
      review({ type: 'sign-in-started', host });
      const signedIn = await get().signIn(host);
      if (session !== reviewSession || signedIn) return;
      const attempt = get().signIns[host];
      if (attempt?.phase === 'device' || attempt?.phase === 'switching') return; // a device code took over: wait for it here
      review({
        type: 'plan-failed',
        error:
          attempt?.phase === 'failed'
            ? { code: 'sign-in-failed', message: attempt.error.message, ...(attempt.error.hint ? { hint: attempt.error.hint } : {}) }
            : { code: 'sign-in-required', message: `You are not signed in to ${hostLabel(get().hosts, host)}.` },
      });
    },
    closeReview() {
      const phase = get().review;
      reviewSession++;
      reviewRequest = null;
      if (phase.kind === 'review') void bridge.request('promotion:discard-plan', { planId: phase.plan.id });
      if (phase.kind === 'signing-in') void get().cancelSignIn(phase.host);
      review({ type: 'closed' });
    },

    batch: idleBatch,
    batchSelection: {},
    toggleBatchCell(key) {
      const next = { ...get().batchSelection };
      if (next[key]) delete next[key];
      else next[key] = true;
      set({ batchSelection: next });
    },
    selectBatchCells(keys) {
      set({ batchSelection: Object.fromEntries(keys.map((k) => [k, true as const])) });
    },
    clearBatchSelection() {
      set({ batchSelection: {} });
    },
    batchBarOpen: false,
    setBatchBar(open) {
      set({ batchBarOpen: open });
    },
    async startBatch(requests) {
      const session = ++batchSession;
      batch({ type: 'closed' });
      batch({ type: 'plan-started', count: requests.length });
      const result = await bridge.request('promotion:plan-batch', { rows: requests });
      if (session !== batchSession) {
        if (result.ok) void bridge.request('promotion:discard-batch', { batchId: result.value.batchId });
        return;
      }
      batch(result.ok ? { type: 'planned', batch: result.value } : { type: 'plan-failed', error: result.error });
    },
    confirmBatch() {
      return runBatch('promotion:apply-batch', { type: 'apply-started' });
    },
    retryBatch() {
      return runBatch('promotion:retry-batch', { type: 'retry-started' });
    },
    closeBatch() {
      const phase = get().batch;
      batchSession++;
      if (phase.kind === 'review') void bridge.request('promotion:discard-batch', { batchId: phase.batch.batchId });
      // a finished batch leaves the selection: what was opened shows on the board as open PRs
      if (phase.kind === 'finished') set({ batchSelection: {} });
      batch({ type: 'closed' });
    },
  };
};
