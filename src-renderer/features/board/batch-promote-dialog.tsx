// The batch review: every pipeline, its version change and every file line it changes, in one
// dialog; Confirm opens one pull request (GitLab: merge request) per row, and each row shows its
// own progress and outcome. Failed rows can be retried on their own. Drawn from the promotion
// slice's batch machine; this component never calls main itself.
import type { PipelineRow } from '../../../src-main/common/board';
import type { ForgeCapabilities } from '../../../src-main/common/forges';
import type { BatchRow } from '../../../src-main/common/promotion';
import { Modal } from '../../components/modal';
import { SafeLink } from '../../components/safe-link';
import { batchCounts } from '../../store/promotion-machine';
import { useAppStore } from '../../store/store';
import { wordsForTarget } from './promote-flow';
import { nounForCount } from '../forges/forge-capabilities';
import { useChangeRequestWords } from '../forges/use-change-request-words';
import './batch.css';

const stateWords: Record<BatchRow['state'], string> = {
  planning: 'Reading…',
  planned: 'Ready',
  refused: 'Not promotable',
  queued: 'Waiting',
  applying: 'Opening…',
  opened: 'Opened',
  updated: 'Updated',
  ineligible: 'No longer eligible',
  failed: 'Failed',
};

/** "pull requests", "merge requests", or "pull/merge requests" when the batch spans forges. */
function requestNoun(rows: readonly BatchRow[], capabilities: readonly ForgeCapabilities[], rowsById: Readonly<Record<string, PipelineRow>>): string {
  return nounForCount(
    rows.map((r) => wordsForTarget(capabilities, rowsById, r).noun),
    rows.length,
  );
}

export function BatchPromoteDialog() {
  const phase = useAppStore((s) => s.batch);
  const rowsById = useAppStore((s) => s.rowsById);
  const capabilities = useAppStore((s) => s.forgeCapabilities);
  const { confirmBatch, retryBatch, closeBatch } = useAppStore.getState();
  if (phase.kind === 'idle') return null;
  const batch = 'batch' in phase ? phase.batch : undefined;
  const counts = batch ? batchCounts(batch) : undefined;
  const plannedRows = batch?.rows.filter((r) => r.state === 'planned') ?? [];
  const planned = plannedRows.length;
  const applying = phase.kind === 'applying';
  const title =
    phase.kind === 'planning' ? `Promote ${phase.count} ${phase.count === 1 ? 'pipeline' : 'pipelines'}` : `Promote ${batch?.rows.length ?? 0} ${batch?.rows.length === 1 ? 'pipeline' : 'pipelines'}`;
  return (
    <Modal labelledBy="batch-title" onClose={() => !applying && closeBatch()} className="batch-dialog" testId="batch-dialog" initialFocus="[data-autofocus]">
      <h2 id="batch-title" className="modal__title">
        {title}
      </h2>
      {phase.kind === 'planning' ? (
        <p className="muted" data-testid="batch-planning">
          <span className="spinner spinner--small" aria-hidden="true" /> Reading the repositories for the exact changes…
        </p>
      ) : null}
      {phase.kind === 'plan-error' || phase.kind === 'apply-error' ? (
        <p className="notice notice--bad" role="alert" data-testid="batch-error">
          {phase.error.message}
          {phase.error.hint ? <span className="muted"> {phase.error.hint}</span> : null}
        </p>
      ) : null}
      {batch && counts ? (
        <>
          <p className="batch-dialog__summary" data-testid="batch-summary" role="status">
            {phase.kind === 'review'
              ? `${planned} ready to open${counts.skipped > 0 ? `, ${counts.skipped} not promotable` : ''}. Confirming opens one ${requestNoun(plannedRows.slice(0, 1), capabilities, rowsById)} per pipeline.`
              : `${counts.done} of ${counts.total} opened${counts.failed > 0 ? `, ${counts.failed} failed` : ''}${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}${counts.waiting > 0 ? `, ${counts.waiting} in progress` : ''}.`}
          </p>
          {phase.kind !== 'review' ? (
            <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={counts.total} aria-valuenow={counts.total - counts.waiting} aria-label="Batch progress">
              <div className="progress__bar" style={{ width: `${Math.max(4, ((counts.total - counts.waiting) / Math.max(1, counts.total)) * 100)}%` }} />
            </div>
          ) : null}
          <ol className="batch-dialog__rows" data-testid="batch-rows">
            {batch.rows.map((row) => (
              <BatchRowView key={row.key} row={row} />
            ))}
          </ol>
        </>
      ) : null}
      <div className="modal__actions">
        {phase.kind === 'review' ? (
          <>
            <button type="button" className="button" onClick={closeBatch} data-testid="batch-cancel">
              Cancel
            </button>
            <button type="button" className="button button--primary" disabled={planned === 0} onClick={() => void confirmBatch()} data-autofocus data-testid="batch-confirm">
              Confirm and open {planned} {requestNoun(plannedRows, capabilities, rowsById)}
            </button>
          </>
        ) : (
          <>
            {counts && counts.failed > 0 && !applying ? (
              <button type="button" className="button button--primary" onClick={() => void retryBatch()} data-testid="batch-retry">
                Retry failed rows ({counts.failed})
              </button>
            ) : null}
            <button type="button" className="button" onClick={closeBatch} disabled={applying} data-autofocus data-testid="batch-close">
              {applying ? 'Opening…' : 'Close'}
            </button>
          </>
        )}
      </div>
    </Modal>
  );
}

function BatchRowView(props: { row: BatchRow }) {
  const { row } = props;
  const env = useAppStore((s) => s.rowsById[row.pipelineId]?.environments.find((e) => e.name === row.targetEnv));
  const words = useChangeRequestWords(env?.strategy.provider);
  const plan = row.plan;
  return (
    <li className={`batch-row batch-row--${row.state}`} data-testid="batch-row" data-state={row.state} data-row-id={row.pipelineId} data-env={row.targetEnv}>
      <div className="batch-row__head">
        <span className="batch-row__name">
          {plan ? `${plan.pipelineNamespace}/${plan.pipelineName}` : row.pipelineId} <span className="muted">→ {row.targetEnv}</span>
        </span>
        <span className="mono batch-row__version" data-testid="batch-version">
          {env?.rollup.version ?? '?'} → <strong>{plan?.version ?? '—'}</strong>
        </span>
        <span className={`batch-row__state batch-row__state--${row.state}`} data-testid="batch-state">
          {row.state === 'applying' || row.state === 'planning' ? <span className="spinner spinner--small" aria-hidden="true" /> : null}
          {stateWords[row.state]}
        </span>
      </div>
      {row.result ? (
        <div className="batch-row__result">
          <SafeLink href={row.result.prUrl} testId="batch-pr-link">
            {words.capital} {words.ref(row.result.number)} ↗
          </SafeLink>
        </div>
      ) : null}
      {row.error ? (
        <div className="batch-row__error" role={row.state === 'failed' ? 'alert' : undefined} data-testid="batch-row-error" data-code={row.error.code}>
          {row.error.message}
          {row.error.hint ? <span className="muted"> {row.error.hint}</span> : null}
        </div>
      ) : null}
      {plan ? (
        <ul className="batch-row__lines" aria-label={`Lines changed for ${plan.pipelineName}`}>
          {plan.files.flatMap((f) =>
            f.changes.map((c) => (
              <li key={`${f.path}:${c.line}`} className="mono" data-testid="batch-line">
                <span className="batch-row__path">
                  {f.path}:{c.line}
                </span>{' '}
                <del>{c.before.trim()}</del> → <ins>{c.after.trim()}</ins>
              </li>
            )),
          )}
        </ul>
      ) : null}
    </li>
  );
}
