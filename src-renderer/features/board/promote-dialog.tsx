// The promotion review and its execution, drawn from the promotion slice's state machine
// (store/promotion-slice.ts): on open the slice asks main for the exact line changes
// (promotion:plan, nothing written); Confirm applies that plan with progress, then links the
// pull request (GitLab: merge request). Sign-in happens in the system browser, from here if
// needed. Cancel/Escape discards the plan; a failure keeps it on screen with Retry. This
// component never calls main itself.
import { useEffect, useState } from 'react';
import type { PipelineRow } from '../../../src-main/common/board';
import type { PromotionPlan, PromotionRequest } from '../../../src-main/common/promotion';
import type { ForgeHostSummary } from '../../../src-main/common/session';
import { presentError } from '../../components/error-presenter';
import { Modal } from '../../components/modal';
import { useAppStore } from '../../store/store';
import type { ReviewPhase } from '../../store/promotion-machine';
import { SessionAvatar, SignInProgress } from '../auth/sign-in-area';
import { checkPromotion, derivePromotion, type DerivedPromotion, type DerivedPromotionResult } from '../../../src-main/common/promotion-eligibility';
import { approvalWhy, confirmLabel, hostForRepo, planErrorView, stepLabels, STEPS } from './promote-flow';
import type { ChangeRequestWords } from '../forges/forge-capabilities';
import { useChangeRequestWords } from '../forges/use-change-request-words';
import { SafeLink } from '../../components/safe-link';
import './promote-dialog.css';

type Phase = ReviewPhase;

type Eligibility = ({ allowed: true } & DerivedPromotion) | { allowed: false; reason: string };

/**
 * What this review promotes, by the rules main re-checks: an environment waiting for approval
 * promotes exactly the revision it waits for; otherwise the drag/button's source must be the
 * environment right before the target and eligible.
 */
function reviewEligibility(row: PipelineRow, fromIndex: number, toIndex: number): Eligibility {
  const to = row.environments[toIndex];
  const gate = to?.pending.find((p) => p.kind === 'awaiting-approval' && p.version);
  let derived: DerivedPromotionResult;
  if (to && gate?.version && fromIndex === toIndex - 1) derived = derivePromotion(row, to.name, gate.version);
  else {
    const checked = checkPromotion({ row, envIndex: fromIndex }, { row, envIndex: toIndex });
    derived = checked.allowed ? derivePromotion(row, checked.to.name) : checked;
  }
  return derived.allowed ? { allowed: true, ...derived.promotion } : { allowed: false, reason: derived.reason };
}

export function PromoteDialog() {
  const request = useAppStore((s) => s.promote);
  const row = useAppStore((s) => (s.promote ? s.rowsById[s.promote.rowId] : undefined));
  if (!request || !row) return null;
  // A new request is a new review: the body keeps no state from the previous one.
  return <PromoteDialogBody key={`${request.rowId}:${request.from}:${request.to}`} />;
}

/** Main derives version, repository and strategy itself; only an approval names a revision. */
export function promotionRequestOf(e: DerivedPromotion): PromotionRequest {
  return { pipelineId: e.row.id, targetEnv: e.to.name, ...(e.approval ? { revision: e.version } : {}) };
}

function PromoteDialogBody() {
  const request = useAppStore((s) => s.promote)!;
  const row = useAppStore((s) => s.rowsById[request.rowId])!;
  const close = useAppStore((s) => s.openPromote);
  const hosts = useAppStore((s) => s.hosts);
  const phase = useAppStore((s) => s.review);
  const { replanReview, confirmReview, retryReview, signInForReview, closeReview } = useAppStore.getState();
  // Eligibility is decided once, when the dialog opens: a board change while reviewing must
  // not swap the plan under the user's eyes.
  const [eligible] = useState(() => reviewEligibility(row, request.from, request.to));
  const awaiting = eligible.allowed && eligible.approval ? eligible.to.pending.find((p) => p.kind === 'awaiting-approval' && p.version) : undefined;
  const version = eligible.allowed ? eligible.version : '';
  const words = useChangeRequestWords(eligible.allowed ? eligible.strategy.provider : undefined);

  useEffect(() => {
    if (eligible.allowed) void useAppStore.getState().startReview(promotionRequestOf(eligible));
    return () => useAppStore.getState().closeReview();
  }, [eligible]);

  const host = eligible.allowed ? hostForRepo(hosts ?? [], eligible.strategy) : undefined;

  // Once the sign-in this dialog asked for has produced a session (browser or device code),
  // read the repository again as that user.
  const signingHost = phase.kind === 'signing-in' ? phase.host : null;
  const signedIn = useAppStore((s) => (signingHost ? s.sessions.some((x) => x.host === signingHost && x.state === 'signed-in') && !s.signIns[signingHost] : false));
  useEffect(() => {
    if (signingHost && signedIn) void useAppStore.getState().replanReview();
  }, [signingHost, signedIn]);

  const onClose = () => {
    closeReview();
    close(null);
  };
  const busy = phase.kind === 'planning' || phase.kind === 'applying' || phase.kind === 'signing-in';
  return (
    <Modal labelledBy="promote-title" onClose={onClose} className="promote-dialog" testId="promote-dialog" initialFocus="[data-autofocus]">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (phase.kind === 'review') void confirmReview();
        }}
      >
        <h2 id="promote-title" className="modal__title">
          {awaiting ? `Approve ${version} into ${row.environments[request.to]?.name}` : `Promote ${row.name} to ${row.environments[request.to]?.name}`}
        </h2>
        {eligible.allowed ? (
          <>
            <dl className="facts facts--wide">
              <dt>Pipeline</dt>
              <dd>
                {row.namespace}/{row.name} <span className="muted">on {row.cluster}</span>
              </dd>
              <dt>Version</dt>
              <dd>
                <span className="mono">{eligible.to.rollup.version ?? 'none'}</span> →{' '}
                <strong className="mono" data-testid="promote-version">
                  {version}
                </strong>
                {eligible.from ? <span className="muted"> (from {eligible.from.name})</span> : null}
              </dd>
              <dt>Into</dt>
              <dd>
                {eligible.to.name}
                {eligible.strategy.manual ? <span className="muted"> · approval required after merge</span> : null}
                <ul className="promote-dialog__targets">
                  {eligible.to.targets.map((t, i) => (
                    <li key={i}>
                      {t.cluster} / {t.namespace} <span className="muted">· now {t.deployedVersion ?? 'unknown'}</span>
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>Repository</dt>
              <dd className="mono">
                {eligible.strategy.repoUrl}
                <span className="muted"> · into {eligible.strategy.baseBranch}</span>
                {'plan' in phase ? <span className="muted"> at {phase.plan.baseSha.slice(0, 8)}</span> : null}
              </dd>
              <dt>Branch</dt>
              <dd className="mono" data-testid="promote-branch">
                {eligible.branch}
              </dd>
              <dt>Authored as</dt>
              <dd data-testid="promote-author">
                {'plan' in phase && phase.plan.author ? <AuthorLine login={phase.plan.author} host={phase.plan.repo.host} /> : <span className="muted">the account you are signed in with</span>}
              </dd>
            </dl>
            {awaiting ? (
              <p className="notice notice--info" data-testid="promote-awaiting">
                {approvalWhy(eligible, awaiting.version ?? version)}
              </p>
            ) : null}
            {'plan' in phase && phase.plan.existingPr ? (
              <p className="notice notice--info" data-testid="promote-existing">
                {words.capital} {words.ref(phase.plan.existingPr.number)} is already open from this branch; confirming updates it instead of opening another.
              </p>
            ) : null}
            <PhaseView phase={phase} words={words} host={host} onSignIn={(h) => void signInForReview(h)} onReplan={() => void replanReview()} onRetry={() => void retryReview()} />
          </>
        ) : (
          <p className="bad-text" role="alert">
            {eligible.reason}
          </p>
        )}
        <div className="modal__actions">
          {phase.kind === 'done' ? (
            <button type="button" className="button button--primary" onClick={onClose} data-autofocus>
              Close
            </button>
          ) : (
            <>
              <button type="button" className="button" onClick={onClose} data-testid="promote-cancel">
                Cancel
              </button>
              <button type="submit" className="button button--primary" disabled={!eligible.allowed || phase.kind !== 'review'} data-autofocus data-testid="promote-confirm">
                {busy && phase.kind === 'applying' ? 'Promoting…' : confirmLabel(words, 'plan' in phase && phase.plan.existingPr !== undefined)}
              </button>
            </>
          )}
        </div>
      </form>
    </Modal>
  );
}

function AuthorLine(props: { login: string; host: string }) {
  const session = useAppStore((s) => s.sessions.find((x) => x.host === props.host));
  return (
    <span className="promote-dialog__author">
      {session ? <SessionAvatar session={session} /> : null}
      <strong>{props.login}</strong>
      <span className="muted"> (you)</span>
    </span>
  );
}

function PhaseView(props: { phase: Phase; words: ChangeRequestWords; host: ForgeHostSummary | undefined; onSignIn(host: string): void; onReplan(): void; onRetry(): void }) {
  const { phase, words } = props;
  const attempt = useAppStore((s) => (phase.kind === 'signing-in' ? s.signIns[phase.host] : undefined));
  switch (phase.kind) {
    case 'planning':
      return (
        <section className="promote-dialog__changes" data-testid="promote-planning">
          <h3>Changes</h3>
          <p className="muted">
            <span className="spinner spinner--small" aria-hidden="true" /> Reading the repository for the exact changes…
          </p>
        </section>
      );
    case 'signing-in':
      return (
        <section className="promote-dialog__changes" data-testid="promote-signing-in">
          <h3>Sign in</h3>
          {attempt ? (
            <SignInProgress host={phase.host} attempt={attempt} />
          ) : (
            <p className="muted" role="status">
              <span className="spinner spinner--small" aria-hidden="true" /> Signed in. Reading the repository for the exact changes…
            </p>
          )}
        </section>
      );
    case 'plan-error': {
      const view = planErrorView(phase.error, props.host, words);
      return (
        <section className="promote-dialog__changes" data-testid="promote-plan-error" data-code={phase.error.code}>
          <div className={`notice ${view.signInHost ? 'notice--prompt' : 'notice--bad'}`} role="alert">
            <strong>{view.title}</strong>
            <div>{view.message}</div>
            {view.detail ? <code className="promote-dialog__marker">{view.detail}</code> : null}
            {phase.error.hint && phase.error.code !== 'sign-in-required' ? <div className="muted">{phase.error.hint}</div> : null}
          </div>
          <div className="promote-dialog__inline-actions">
            {view.signInHost ? (
              <button type="button" className="button button--primary" onClick={() => props.onSignIn(view.signInHost!)} data-testid="promote-sign-in">
                Sign in to {view.signInLabel}
              </button>
            ) : null}
            {view.retry ? (
              <button type="button" className="button" onClick={props.onReplan} data-testid="promote-replan">
                Try again
              </button>
            ) : null}
          </div>
        </section>
      );
    }
    case 'idle':
      return null;
    case 'review':
      return (
        <section className="promote-dialog__changes" data-testid="promote-plan">
          <h3>Changes</h3>
          {phase.replanned ? <p className="notice notice--info">The repository changed since the failed attempt: these are the changes now. Review them and confirm again.</p> : null}
          <FileChanges plan={phase.plan} />
          <p className="muted">
            Confirming commits this to <span className="mono">{phase.plan.branch}</span> and{' '}
            {phase.plan.existingPr ? `updates ${words.noun} ${words.ref(phase.plan.existingPr.number)}, titled` : `opens ${words.article} titled`} “{phase.plan.title}”.
          </p>
        </section>
      );
    case 'applying': {
      const done = STEPS.filter((s) => phase.steps[s] === 'done').length;
      const active = STEPS.find((s) => phase.steps[s] === 'started' && !(s === 'sign-in' && phase.steps['read-repo']));
      // sign-in wraps the others: it counts as done once the repository is being read
      const count = done + (phase.steps['sign-in'] !== 'done' && phase.steps['read-repo'] ? 1 : 0);
      return (
        <section className="promote-dialog__changes" data-testid="promote-progress">
          <h3>Promoting</h3>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={STEPS.length} aria-valuenow={count} aria-label="Promotion progress">
            <div className="progress__bar" style={{ width: `${Math.max(6, (count / STEPS.length) * 100)}%` }} />
          </div>
          <ol className="progress-steps">
            {STEPS.map((s) => {
              const state = phase.steps[s] === 'done' || (s === 'sign-in' && phase.steps['read-repo']) ? 'done' : s === active ? 'active' : 'waiting';
              return (
                <li key={s} className={`progress-steps__item progress-steps__item--${state}`} data-step={s} data-state={state}>
                  {stepLabels(words, phase.plan.existingPr !== undefined)[s]}
                </li>
              );
            })}
          </ol>
          <FileChanges plan={phase.plan} />
        </section>
      );
    }
    case 'done':
      return (
        <section className="promote-dialog__changes" data-testid="promote-done">
          <p className="notice notice--ok" role="status">
            {phase.result.updated ? (
              <>
                Updated existing {words.noun} {words.ref(phase.result.number)}.{' '}
              </>
            ) : (
              <>
                Opened {words.noun} {words.ref(phase.result.number)}.{' '}
              </>
            )}
            <SafeLink href={phase.result.prUrl} testId="promote-pr-link">
              View it in the browser ↗
            </SafeLink>
          </p>
          {phase.result.rebuilt ? (
            <p className="notice notice--info" data-testid="promote-rebuilt">
              {phase.plan.baseBranch} moved while you reviewed; the change was rebuilt on its new head ({phase.result.baseSha.slice(0, 8)}).
            </p>
          ) : null}
          <FileChanges plan={{ ...phase.plan, files: phase.result.files }} />
          <p className="muted">The board shows the {words.noun} as open now and the new version once it is merged and Flux has applied it.</p>
        </section>
      );
    case 'apply-error': {
      // the presenter supplies the default hint for codes main sent without one, and the wait
      const shown = presentError(phase.error);
      return (
        <section className="promote-dialog__changes" data-testid="promote-apply-error" data-code={phase.error.code}>
          <div className="notice notice--bad" role="alert">
            <strong>The promotion did not complete.</strong> {shown.message}
            {shown.hint ? <div className="muted">{shown.hint}</div> : null}
            {shown.waitFor ? <div className="muted">Try again in {shown.waitFor}.</div> : null}
          </div>
          <FileChanges plan={phase.plan} />
          <div className="promote-dialog__inline-actions">
            <button type="button" className="button button--primary" onClick={props.onRetry} data-testid="promote-retry">
              Retry
            </button>
          </div>
        </section>
      );
    }
  }
}

function FileChanges(props: { plan: PromotionPlan }) {
  return (
    <div className="diff" data-testid="promote-diff">
      {props.plan.files.map((f) => (
        <div key={f.path} className="diff__file" data-testid="diff-file" data-path={f.path}>
          <div className="diff__path mono">{f.path}</div>
          <table className="diff__lines">
            <tbody>
              {f.changes.map((c) => [
                <tr key={`${c.line}-`} className="diff__line diff__line--del">
                  <td className="diff__num">{c.line}</td>
                  <td className="diff__sign" aria-label="before">
                    −
                  </td>
                  <td className="diff__text" data-testid="diff-before">
                    {c.before}
                  </td>
                </tr>,
                <tr key={`${c.line}+`} className="diff__line diff__line--add">
                  <td className="diff__num">{c.line}</td>
                  <td className="diff__sign" aria-label="after">
                    +
                  </td>
                  <td className="diff__text" data-testid="diff-after">
                    {c.after}
                  </td>
                </tr>,
              ])}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
