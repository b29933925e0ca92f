// Status bar: what is running (from main), so a screenshot or a bug report says which build,
// and how fresh the board is.
import { relativeTime } from '../features/board/format';
import { useNow } from '../lib/use-now';
import { useAppStore } from '../store/store';

export function StatusBar() {
  const info = useAppStore((s) => s.appInfo);
  const generatedAt = useAppStore((s) => s.generatedAt);
  const count = useAppStore((s) => s.rowOrder.length);
  const now = useNow(10_000);
  return (
    <footer className="status-bar" data-testid="status-bar">
      {info.status === 'ready' ? (
        <span data-testid="app-info">
          {info.value.name} {info.value.version} · {info.value.shell === 'electron' ? `Electron ${info.value.versions.electron}` : `services on Node ${info.value.versions.node}`} · {info.value.platform}/{info.value.arch}
        </span>
      ) : info.status === 'error' ? (
        <span className="status-bar__error">Not connected to the main process: {info.error.message}</span>
      ) : (
        <span>Connecting…</span>
      )}
      <span className="status-bar__spacer" />
      {generatedAt ? (
        <span data-testid="board-freshness">
          {count} pipelines · updated {relativeTime(generatedAt, Math.max(now, Date.parse(generatedAt)))}
        </span>
      ) : null}
      <span className="status-bar__keys">? shortcuts · Ctrl K commands</span>
    </footer>
  );
}
