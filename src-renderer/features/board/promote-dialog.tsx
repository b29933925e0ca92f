// The promotion review: what will move where, which repository and branch it will touch,
// and who will author it. The promotion service is not connected yet, so Confirm says so
// plainly instead of pretending.
import { useState } from 'react';
import { Modal } from '../../components/modal';
import { useAppStore } from '../../store/store';
import { checkPromotion } from './promotion-eligibility';

export function PromoteDialog() {
  const request = useAppStore((s) => s.promote);
  const row = useAppStore((s) => (s.promote ? s.rowsById[s.promote.rowId] : undefined));
  const close = useAppStore((s) => s.openPromote);
  const [notice, setNotice] = useState<string | null>(null);
  if (!request || !row) return null;
  const result = checkPromotion({ row, envIndex: request.from }, { row, envIndex: request.to });
  const onClose = () => {
    setNotice(null);
    close(null);
  };
  const confirm = () => {
    setNotice('Promotion isn’t available yet: the promotion service is not connected in this build. Nothing was changed — no branch, commit or pull request was created.');
  };
  return (
    <Modal labelledBy="promote-title" onClose={onClose} className="promote-dialog" testId="promote-dialog" initialFocus="[data-autofocus]">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (result.allowed) confirm();
        }}
      >
        <h2 id="promote-title" className="modal__title">
          Promote {row.name} to {row.environments[request.to]?.name}
        </h2>
        {result.allowed ? (
          <>
            <dl className="facts facts--wide">
              <dt>Pipeline</dt>
              <dd>
                {row.namespace}/{row.name} <span className="muted">on {row.cluster}</span>
              </dd>
              <dt>Version</dt>
              <dd>
                <span className="mono">{result.to.rollup.version ?? 'none'}</span> → <strong className="mono">{result.version}</strong>
                <span className="muted"> (from {result.from.name})</span>
              </dd>
              <dt>Into</dt>
              <dd>
                {result.to.name}
                {result.strategy.manual ? <span className="muted"> · approval required after merge</span> : null}
                <ul className="promote-dialog__targets">
                  {result.to.targets.map((t, i) => (
                    <li key={i}>
                      {t.cluster} / {t.namespace} <span className="muted">· now {t.deployedVersion ?? 'unknown'}</span>
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>Repository</dt>
              <dd className="mono">{result.strategy.repoUrl}</dd>
              <dt>Base branch</dt>
              <dd className="mono">{result.strategy.baseBranch}</dd>
              <dt>Branch</dt>
              <dd className="mono" data-testid="promote-branch">
                {result.branch}
              </dd>
              <dt>Authored as</dt>
              <dd className="muted">Sign in required</dd>
            </dl>
            {result.to.pending.some((p) => p.kind === 'pr-open') ? <p className="muted">A promotion pull request is already open for {result.to.name}; promoting updates it instead of opening another.</p> : null}
            <section className="promote-dialog__changes">
              <h3>Changes</h3>
              <p className="muted">Shown once the promotion service is connected.</p>
            </section>
          </>
        ) : (
          <p className="bad-text" role="alert">
            {result.reason}
          </p>
        )}
        {notice ? (
          <p className="notice" role="alert" data-testid="promote-notice">
            {notice}
          </p>
        ) : null}
        <div className="modal__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={!result.allowed} data-autofocus>
            Confirm promotion
          </button>
        </div>
      </form>
    </Modal>
  );
}
