// What main found wrong with the kubeconfig, said where the board is empty or partial: the
// real load error with its hint (instead of a generic "check your kubeconfig"), and each
// warning (e.g. a credential plugin that is not installed) with what to do about it.
import type { KubeconfigStatus, Problem } from '../../../src-main/common/board';
import { StatePanel } from '../../components/state-panel';
import { useAppStore } from '../../store/store';
import { openSettings } from '../settings/settings-dialog';
import './kubeconfig-notice.css';

/** The load error first, then the warnings. */
export function kubeconfigProblems(status: KubeconfigStatus | null): Problem[] {
  if (!status) return [];
  return status.error ? [status.error, ...status.warnings] : status.warnings;
}

function ProblemList({ problems }: { problems: Problem[] }) {
  return (
    <ul className="kubeconfig-problems" data-testid="kubeconfig-problems">
      {problems.map((p, i) => (
        <li key={`${p.code}:${i}`} className="kubeconfig-problems__item" data-code={p.code}>
          <span className="kubeconfig-problems__message">{p.message}</span>
          {p.hint ? <span className="kubeconfig-problems__hint">{p.hint}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function FilesRead({ files }: { files: string[] }) {
  if (files.length === 0) return null;
  return <p className="muted kubeconfig-files">Read from {files.join(', ')}</p>;
}

const settingsButton = (
  <button type="button" className="button button--primary" onClick={openSettings}>
    Choose a kubeconfig in Settings
  </button>
);

/** The empty board: why, from the kubeconfig status when main knows, else what to check. */
export function EmptyBoard() {
  const status = useAppStore((s) => s.kubeconfig);
  const clusterCount = useAppStore((s) => s.clusters.length);
  if (status?.error)
    return (
      <StatePanel tone="error" title="Release Board cannot read your kubeconfig" testId="board-kubeconfig-error" action={settingsButton}>
        <ProblemList problems={kubeconfigProblems(status)} />
        <FilesRead files={status.files} />
      </StatePanel>
    );
  return (
    <StatePanel tone="neutral" title="No pipelines to show yet" testId="board-empty">
      <p>Release Board reads your kubeconfig, finds every Weave GitOps Pipeline in your clusters and shows what each environment runs.</p>
      {status && status.warnings.length > 0 ? <ProblemList problems={status.warnings} /> : null}
      <p className="muted">
        {clusterCount > 0
          ? 'Your clusters are listed in the top bar: check that the management cluster serves pipelines.pipelines.weave.works and that you may list them.'
          : 'Make sure your kubeconfig has a context for your management cluster and that you may list pipelines.pipelines.weave.works.'}
      </p>
    </StatePanel>
  );
}

/**
 * Above a board with rows: a reload that failed (the board shows what the last good
 * kubeconfig reached) or warnings that explain missing clusters. Nothing when all is well.
 */
export function KubeconfigNotice() {
  const status = useAppStore((s) => s.kubeconfig);
  const problems = kubeconfigProblems(status);
  if (problems.length === 0) return null;
  return (
    <section className={`kubeconfig-notice${status?.error ? ' kubeconfig-notice--error' : ''}`} data-testid="kubeconfig-notice" role={status?.error ? 'alert' : 'status'}>
      <strong className="kubeconfig-notice__title">
        {status?.error ? 'Your kubeconfig could not be read again: the board shows what the last good one reached' : 'Your kubeconfig has problems that may hide clusters'}
      </strong>
      <ProblemList problems={problems} />
    </section>
  );
}
