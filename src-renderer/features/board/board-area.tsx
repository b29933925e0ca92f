// The board area. Until the data plane delivers pipelines it says honestly what is going on.
import { StatePanel } from '../../components/state-panel';
import { useAppStore } from '../../store/store';

export function BoardArea() {
  const info = useAppStore((s) => s.appInfo);
  const reload = useAppStore((s) => s.loadAppInfo);
  if (info.status === 'loading') return <StatePanel tone="loading" title="Connecting to Release Board’s services…" testId="board-loading" />;
  if (info.status === 'error')
    return (
      <StatePanel
        tone="error"
        title="Release Board’s services are not reachable"
        testId="board-error"
        action={
          <button type="button" className="button button--primary" onClick={() => void reload()}>
            Try again
          </button>
        }
      >
        <p>{info.error.message}</p>
        <p className="muted">Restart the app if this persists. Nothing was changed in your clusters or repositories.</p>
      </StatePanel>
    );
  return (
    <StatePanel tone="neutral" title="No pipelines to show yet" testId="board-empty">
      <p>Release Board reads your kubeconfig, finds every Weave GitOps Pipeline in your clusters and shows what each environment runs.</p>
      <p className="muted">Make sure your kubeconfig has a context for your management cluster and that you may list pipelines.pipelines.weave.works.</p>
    </StatePanel>
  );
}
