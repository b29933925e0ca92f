// Status bar: what is running (from main), so a screenshot or a bug report says which build.
import { useAppStore } from '../store/store';

export function StatusBar() {
  const info = useAppStore((s) => s.appInfo);
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
    </footer>
  );
}
