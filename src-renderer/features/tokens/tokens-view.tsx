// Every token behind automated promotions, by fingerprint: who, state, the pipelines using
// it and its risks, with the selected token's details beside the list. Plain props (a
// TokenReport); selection is internal unless the host controls it.
import { useState } from 'react';
import type { TokenEntry, TokenReport } from '../../../src-main/common/tokens';
import { StatePanel } from '../../components/state-panel';
import { TokenAvatar, TokenStatePill } from './token-badge';
import { TokenPanel } from './token-panel';
import { pipelinesOf, shortKind, sortedRisks, whoLabel } from './token-format';
import './tokens.css';

export interface TokensViewProps {
  report: TokenReport | undefined;
  loading?: boolean;
  error?: string;
  now?: Date;
  selectedKey?: string;
  onSelect?: (key: string) => void;
  onRecheck?: (key: string) => void;
  recheckingKey?: string;
  onOpenGuidance?: (link: string) => void;
  onSelectPipeline?: (pipelineId: string) => void;
  /** The answer to "read promotion Secrets?" (absent: the view only explains). */
  onChooseSecretReading?: (read: boolean) => void;
  onApproveHost?: (host: string) => void;
  approvingHost?: string;
}

function TokenListItem(props: { entry: TokenEntry; selected: boolean; onSelect: (key: string) => void }) {
  const { entry } = props;
  const pipelines = pipelinesOf(entry);
  const top = sortedRisks(entry.risks)[0];
  return (
    <li>
      <button
        type="button"
        className={`token-item${props.selected ? ' token-item--selected' : ''}`}
        aria-current={props.selected ? 'true' : undefined}
        data-testid="token-item"
        data-token-key={entry.key}
        onClick={() => props.onSelect(entry.key)}
      >
        <TokenAvatar entry={entry} />
        <span className="token-item__main">
          <span className="token-item__who">{whoLabel(entry)}</span>
          <span className="token-item__meta">
            {entry.fingerprint ? <code className="token-fingerprint">{entry.fingerprint}</code> : <span>token not read</span>}
            {shortKind(entry) ? <span>{shortKind(entry)}</span> : null}
            {entry.risks.length > 0 ? (
              <span className="token-item__riskcount">
                {entry.risks.length} risk{entry.risks.length === 1 ? '' : 's'}
              </span>
            ) : null}
          </span>
          <span className="token-item__pipelines">{pipelines.length <= 2 ? pipelines.map((p) => p.pipelineId).join(', ') : `${pipelines.length} pipelines`}</span>
          {top ? <span className={`token-item__top token-item__top--${top.severity}`}>{top.title}</span> : null}
        </span>
        <TokenStatePill entry={entry} />
      </button>
    </li>
  );
}

export function TokensView(props: TokensViewProps) {
  const [ownSelection, setOwnSelection] = useState<string | undefined>(undefined);
  const { report } = props;
  if (props.error && !report) {
    return (
      <StatePanel tone="error" title="Tokens could not be checked" testId="tokens-error">
        <p>{props.error}</p>
      </StatePanel>
    );
  }
  if (!report) return <StatePanel tone="loading" title="Checking the tokens behind automated promotions…" testId="tokens-loading" />;
  if (report.secretReading === 'not-enabled') {
    const uses = report.pipelines.filter((p) => p.environments.some((e) => e.strategy === 'pull-request')).length;
    return (
      <StatePanel tone="neutral" title="Read the promotion Secrets?" testId="tokens-consent">
        <p>
          {uses} pipeline{uses === 1 ? '' : 's'} promote{uses === 1 ? 's' : ''} with a Git token stored in a Secret. To show who is behind each token, what it may do and when it expires, Release Board
          reads those Secrets with your own kubeconfig (your RBAC decides) and asks the Git host about each token.
        </p>
        <p className="muted">
          A token is only ever sent to a Git host you configured or approve; it never leaves this computer otherwise, and is never shown, logged or stored. You can change this in Settings.
        </p>
        {props.onChooseSecretReading ? (
          <p className="tokens-consent__actions">
            <button type="button" className="button button--primary" onClick={() => props.onChooseSecretReading?.(true)} data-testid="tokens-consent-yes">
              Read promotion Secrets
            </button>{' '}
            <button type="button" className="button" onClick={() => props.onChooseSecretReading?.(false)} data-testid="tokens-consent-no">
              Not now
            </button>
          </p>
        ) : null}
      </StatePanel>
    );
  }
  if (report.entries.length === 0) {
    return (
      <StatePanel tone="neutral" title="No promotion tokens" testId="tokens-empty">
        <p>No pipeline promotes by pull request with a token stored in the cluster.</p>
        {report.problems.map((p) => (
          <p key={p.code} className="muted">
            {p.message}
          </p>
        ))}
      </StatePanel>
    );
  }
  const selectedKey = props.selectedKey ?? ownSelection ?? report.entries[0]!.key;
  const selected = report.entries.find((e) => e.key === selectedKey) ?? report.entries[0]!;
  const select = (key: string) => {
    setOwnSelection(key);
    props.onSelect?.(key);
  };
  const tokens = report.entries.filter((e) => e.fingerprint).length;
  const unreadable = report.entries.length - tokens;
  const riskCount = report.entries.reduce((n, e) => n + e.risks.length, 0);
  const panelProps = {
    entry: selected,
    ...(props.now ? { now: props.now } : {}),
    ...(props.onRecheck ? { onRecheck: props.onRecheck } : {}),
    recheckBusy: props.recheckingKey === selected.key,
    ...(props.onOpenGuidance ? { onOpenGuidance: props.onOpenGuidance } : {}),
    ...(props.onSelectPipeline ? { onSelectPipeline: props.onSelectPipeline } : {}),
    ...(props.onApproveHost ? { onApproveHost: props.onApproveHost } : {}),
    approveBusy: props.approvingHost !== undefined && props.approvingHost === selected.unapprovedHost,
  };
  return (
    <div className="tokens-view" data-testid="tokens-view">
      <div className="tokens-view__list">
        <header className="tokens-view__summary">
          <h2 className="tokens-view__title">Promotion tokens</h2>
          <p className="muted" data-testid="tokens-summary">
            {tokens} token{tokens === 1 ? '' : 's'}
            {unreadable > 0 ? `, ${unreadable} Secret${unreadable === 1 ? '' : 's'} without a readable token` : ''} · {riskCount} risk{riskCount === 1 ? '' : 's'}
          </p>
        </header>
        <ul className="token-list" aria-label="Tokens">
          {report.entries.map((e) => (
            <TokenListItem key={e.key} entry={e} selected={e.key === selected.key} onSelect={select} />
          ))}
        </ul>
        {props.error ? <p className="tokens-view__error">{props.error}</p> : null}
      </div>
      <div className="tokens-view__detail">
        <TokenPanel {...panelProps} />
      </div>
    </div>
  );
}
