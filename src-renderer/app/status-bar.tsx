// Status bar: what is running (from main), so a screenshot or a bug report says which build,
// how fresh the board is, and what self-update is doing (checking, downloading, up to date,
// failed with a retry, ready with Restart).
import { useState } from 'react';
import { relativeTime } from '../features/board/format';
import { useNow } from '../lib/use-now';
import { useAppStore } from '../store/store';
import { updateStatus } from './update-status';
import './status-bar.css';

export function StatusBar() {
  const info = useAppStore((s) => s.appInfo);
  const generatedAt = useAppStore((s) => s.generatedAt);
  const count = useAppStore((s) => s.rowOrder.length);
  const now = useNow(10_000);
  const update = useAppStore((s) => s.update);
  const install = useAppStore((s) => s.installUpdate);
  const retry = useAppStore((s) => s.checkUpdate);
  const [restarting, setRestarting] = useState(false);
  const status = updateStatus(update);
  return (
    <footer className="status-bar" data-testid="status-bar">
      {info.status === 'ready' ? (
        <span data-testid="app-info">
          {info.value.name} {info.value.version} · {info.value.shell === 'electron' ? `Electron ${info.value.versions.electron}` : `services on Node ${info.value.versions.node}`} ·{' '}
          {info.value.platform}/{info.value.arch}
        </span>
      ) : info.status === 'error' ? (
        <span className="status-bar__error">Not connected to the main process: {info.error.message}</span>
      ) : (
        <span>Connecting…</span>
      )}
      <span className="status-bar__spacer" />
      {status?.action === 'restart' ? (
        <span className="update-notice" role="status" data-testid="update-notice">
          {status.text} —{' '}
          <button
            type="button"
            className="button button--small button--primary"
            disabled={restarting}
            onClick={() => {
              // Only ever on this click: the user chooses when the app restarts.
              setRestarting(true);
              void install().finally(() => setRestarting(false));
            }}
          >
            {restarting ? 'Restarting…' : 'Restart'}
          </button>
        </span>
      ) : status ? (
        <span className={`update-status update-status--${status.tone}`} role="status" data-testid="update-status">
          {status.text}
          {status.action === 'retry' ? (
            <>
              {' '}
              <button type="button" className="button button--small" onClick={() => void retry()}>
                Retry
              </button>
            </>
          ) : null}
        </span>
      ) : null}
      {generatedAt ? (
        <span data-testid="board-freshness">
          {count} pipelines · updated {relativeTime(generatedAt, Math.max(now, Date.parse(generatedAt)))}
        </span>
      ) : null}
      <span className="status-bar__keys">? shortcuts · Ctrl K commands</span>
    </footer>
  );
}
