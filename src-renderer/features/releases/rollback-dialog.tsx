// "Roll back to <previous version>": the user says why, main derives both versions from its own
// board and plans the PR (exact line changes shown here), then opens it on its own branch,
// titled and labelled as a rollback. The renderer sends only pipeline, environment and reason.
import { useState } from 'react';
import type { PromotionPlan, PromotionResult } from '../../../src-main/common/promotion';
import type { AppError } from '../../../src-main/common/result';
import { deriveRollback, ROLLBACK_REASON_MAX } from '../../../src-main/common/rollback';
import { bridge } from '../../bridge/release-board';
import { Modal } from '../../components/modal';
import { SafeLink } from '../../components/safe-link';
import { useChangeRequestWords } from '../forges/use-change-request-words';
import { useAppStore } from '../../store/store';
import { useReleasesStore } from './releases-store';
import './releases.css';

type Step = { kind: 'reason' } | { kind: 'planning' } | { kind: 'review'; plan: PromotionPlan } | { kind: 'opening'; plan: PromotionPlan } | { kind: 'done'; result: PromotionResult };

function Problem(props: { error: AppError }) {
  return (
    <div className="row-problem row-problem--inline" role="alert" data-testid="rollback-error" data-code={props.error.code}>
      <span className="row-problem__icon" aria-hidden="true">
        !
      </span>
      <div className="row-problem__text">
        <div className="row-problem__message">{props.error.message}</div>
        {props.error.hint ? <div className="row-problem__hint">{props.error.hint}</div> : null}
      </div>
    </div>
  );
}

export function RollbackDialog() {
  const target = useReleasesStore((s) => s.rollback);
  const row = useAppStore((s) => (target ? s.rowsById[target.rowId] : undefined));
  const close = useReleasesStore((s) => s.openRollback);
  const announce = useAppStore((s) => s.announce);
  const [reason, setReason] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'reason' });
  const [error, setError] = useState<AppError | null>(null);
  const words = useChangeRequestWords(target ? row?.environments.find((e) => e.name === target.env)?.strategy.provider : undefined);
  if (!target || !row) return null;
  const derived = deriveRollback(row, target.env);
  const onClose = () => {
    if (step.kind === 'review') void bridge.request('promotion:discard-plan', { planId: step.plan.id });
    setReason('');
    setStep({ kind: 'reason' });
    setError(null);
    close(null);
  };
  const review = async () => {
    setError(null);
    setStep({ kind: 'planning' });
    const planned = await bridge.request('promotion:plan-rollback', { pipelineId: row.id, env: target.env, reason });
    if (!planned.ok) {
      setError(planned.error);
      setStep({ kind: 'reason' });
      return;
    }
    setStep({ kind: 'review', plan: planned.value });
  };
  const open = async (plan: PromotionPlan) => {
    setError(null);
    setStep({ kind: 'opening', plan });
    const applied = await bridge.request('promotion:apply', { planId: plan.id });
    if (!applied.ok) {
      setError(applied.error);
      setStep({ kind: 'reason' });
      return;
    }
    setStep({ kind: 'done', result: applied.value });
    announce(`Rollback ${words.noun} ${applied.value.updated ? 'updated' : 'opened'}: ${words.ref(applied.value.number)}`);
  };
  const trimmed = reason.trim();
  return (
    <Modal labelledBy="rollback-title" onClose={onClose} className="rollback-dialog" testId="rollback-dialog" initialFocus="textarea">
      <h2 id="rollback-title" className="modal__title">
        {derived.allowed ? `Roll back ${row.name} in ${target.env} to ${derived.version}` : `Roll back ${row.name} in ${target.env}`}
      </h2>
      {!derived.allowed ? (
        <p data-testid="rollback-refusal">Can’t roll back: {derived.reason}</p>
      ) : step.kind === 'done' ? (
        <p data-testid="rollback-done">
          Rollback {words.noun} {step.result.updated ? 'updated' : 'opened'}: <SafeLink href={step.result.prUrl}>{words.ref(step.result.number)}</SafeLink>. It replaces {derived.replaces} by{' '}
          {derived.version} once merged.
        </p>
      ) : (
        <>
          <p>
            Opens {words.article} that sets {row.namespace}/{row.name} in {target.env} back from <strong className="mono">{derived.replaces}</strong> to{' '}
            <strong className="mono">{derived.version}</strong>, the version that ran before it. It is labelled <em>rollback</em> and says why.
          </p>
          <label htmlFor="rollback-reason">Why roll back? (goes into the {words.noun})</label>
          <textarea
            id="rollback-reason"
            value={reason}
            maxLength={ROLLBACK_REASON_MAX}
            disabled={step.kind !== 'reason'}
            onChange={(e) => setReason(e.target.value)}
            data-testid="rollback-reason"
            placeholder="e.g. Checkout errors up 4× since 1.8.1 went out"
          />
          <div className="rollback-dialog__count">
            {reason.length} / {ROLLBACK_REASON_MAX}
          </div>
          {step.kind === 'review' || step.kind === 'opening' ? (
            <div data-testid="rollback-plan">
              <p className="muted">
                {step.plan.title} — branch <span className="mono">{step.plan.branch}</span> on {step.plan.repo.owner}/{step.plan.repo.name}
                {step.plan.existingPr ? ` (updates the open ${words.ref(step.plan.existingPr.number)})` : ''}
              </p>
              {step.plan.files.map((f) => (
                <div key={f.path} className="rollback-dialog__change">
                  <div>{f.path}</div>
                  {f.changes.map((c) => (
                    <div key={c.line}>
                      <del>
                        {c.line}: {c.before.trim()}
                      </del>
                      <br />
                      <ins>
                        {c.line}: {c.after.trim()}
                      </ins>
                    </div>
                  ))}
                </div>
              ))}
            </div>
          ) : null}
        </>
      )}
      {error ? <Problem error={error} /> : null}
      <div className="modal__actions">
        <button type="button" className="button" onClick={onClose} data-testid="rollback-cancel">
          {step.kind === 'done' || !derived.allowed ? 'Close' : 'Cancel'}
        </button>
        {derived.allowed && (step.kind === 'reason' || step.kind === 'planning') ? (
          <button type="button" className="button button--primary" disabled={trimmed.length === 0 || step.kind === 'planning'} onClick={() => void review()} data-testid="rollback-review">
            {step.kind === 'planning' ? 'Reading the repository…' : 'Review the change'}
          </button>
        ) : null}
        {step.kind === 'review' || step.kind === 'opening' ? (
          <button type="button" className="button button--primary" disabled={step.kind === 'opening'} onClick={() => void open(step.plan)} data-testid="rollback-open">
            {step.kind === 'opening' ? 'Opening…' : `Open rollback ${words.short}`}
          </button>
        ) : null}
      </div>
    </Modal>
  );
}
