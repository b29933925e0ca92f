// Top bar: the app's name, every cluster's connection state (problems named, healthy ones
// summarised), the pending-promotions inbox and Tokens toggles and the sign-in area.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterState } from '../../src-main/common/board';
import { inboxItems } from '../features/board/board-view';
import { age, clusterWords } from '../features/board/format';
import { useOrderedRows } from '../features/board/use-board-model';
import { toggleReleaseLog } from '../features/releases/release-actions';
import { SignInArea } from '../features/auth/sign-in-area';
import { openSettings } from '../features/settings/settings-dialog';
import { troubledTokens } from '../features/tokens/token-inbox';
import { useNow } from '../lib/use-now';
import { useAppStore } from '../store/store';
import './top-bar.css';

function ClusterChip(props: { cluster: ClusterState; selected: boolean; now: number; onSelect(): void }) {
  const { cluster: c, now } = props;
  const words = clusterWords[c.state];
  const label = c.state === 'stale' && c.staleSince ? `stale ${age(c.staleSince, now)}` : words.word;
  return (
    <button
      type="button"
      className={`chip chip--cluster chip--${words.tone}${props.selected ? ' chip--selected' : ''}`}
      title={`${c.name}${c.context && c.context !== c.name ? ` (context ${c.context})` : ''}: ${words.word}${c.message ? ` — ${c.message}` : ''}`}
      data-testid="cluster-chip"
      data-cluster={c.name}
      data-state={c.state}
      aria-pressed={props.selected}
      onClick={props.onSelect}
    >
      <span className={`dot dot--${words.tone}`} aria-hidden="true" />
      <span className="chip__name">{c.name}</span>
      {c.state !== 'connected' ? <span className="chip__state">{label}</span> : null}
    </button>
  );
}

export function TopBar() {
  const clusters = useAppStore((s) => s.clusters);
  const load = useAppStore((s) => s.boardLoad.status);
  const { mode, cluster } = useAppStore(useShallow((s) => ({ mode: s.view.mode, cluster: s.view.cluster })));
  const setView = useAppStore((s) => s.setView);
  const rows = useOrderedRows();
  const report = useAppStore((s) => s.tokenReport);
  const tokenTrouble = useMemo(() => troubledTokens(report).length, [report]);
  const pending = useMemo(() => inboxItems(rows).length + tokenTrouble, [rows, tokenTrouble]);
  const now = useNow();
  const healthy = clusters.filter((c) => c.state === 'connected');
  const troubled = clusters.filter((c) => c.state !== 'connected');
  const select = (name: string) => setView({ cluster: cluster === name ? null : name, mode: 'board' });
  return (
    <header className="top-bar">
      <div className="top-bar__brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="top-bar__title">Release Board</span>
      </div>
      <div className="top-bar__context" data-testid="context-area" role="group" aria-label="Clusters">
        {clusters.length === 0 ? (
          <span className="chip chip--muted" title="Clusters appear here once Release Board reads your kubeconfig">
            <span className="dot dot--idle" aria-hidden="true" /> {load === 'loading' ? 'Reading kubeconfig…' : 'No clusters connected'}
          </span>
        ) : (
          <>
            {healthy.length > 0 ? (
              <span className="chip chip--ok-summary" title={`Connected: ${healthy.map((c) => c.name).join(', ')}`} data-testid="clusters-connected">
                <span className="dot dot--ok" aria-hidden="true" />
                {healthy.length === 1 ? healthy[0]!.name : `${healthy.length} connected`}
              </span>
            ) : null}
            {troubled.map((c) => (
              <ClusterChip key={c.name} cluster={c} now={now} selected={cluster === c.name} onSelect={() => select(c.name)} />
            ))}
          </>
        )}
      </div>
      <div className="top-bar__spacer" />
      <button
        type="button"
        className={`button button--ghost inbox-toggle${mode === 'inbox' ? ' inbox-toggle--on' : ''}`}
        aria-pressed={mode === 'inbox'}
        onClick={() => setView({ mode: mode === 'inbox' ? 'board' : 'inbox' })}
        data-testid="inbox-toggle"
        title="Pending promotions (i)"
      >
        Inbox <span className={`count${pending > 0 ? ' count--on' : ''}`}>{pending}</span>
      </button>
      <button
        type="button"
        className={`button button--ghost inbox-toggle${mode === 'tokens' ? ' inbox-toggle--on' : ''}`}
        aria-pressed={mode === 'tokens'}
        onClick={() => setView({ mode: mode === 'tokens' ? 'board' : 'tokens' })}
        data-testid="tokens-toggle"
        title="Tokens behind automated promotions"
      >
        Tokens {tokenTrouble > 0 ? <span className="count count--on count--bad">{tokenTrouble}</span> : null}
      </button>
      <button
        type="button"
        className={`button button--ghost inbox-toggle${mode === 'releases' ? ' inbox-toggle--on' : ''}`}
        aria-pressed={mode === 'releases'}
        onClick={toggleReleaseLog}
        data-testid="releases-toggle"
        title="Release log: what changed where, from which PR, approved by whom (l)"
      >
        Releases
      </button>
      <button type="button" className="button button--ghost" onClick={openSettings} data-testid="settings-open" title="Settings (Ctrl+,)" aria-label="Settings">
        Settings
      </button>
      <SignInArea />
    </header>
  );
}
