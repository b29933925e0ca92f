// Per-target detail for one environment: where each target lives, what it runs, what Flux
// says about it (conditions with messages), and whether what we show is stale.
import { useEffect, useRef } from 'react';
import type { ClusterState, TargetState } from '../../../src-main/common/board';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../store/store';
import { useChangeRequestWords } from '../forges/use-change-request-words';
import { clusterWords, healthWords, pendingLabel, prStatusText, relativeTime, rollupWords } from './format';
import { cellDomId } from './env-cell';
import { tokenEntryFor } from '../../../src-main/common/tokens';
import { TokenPanel } from '../tokens/token-panel';
import { SafeLink } from '../../components/safe-link';
import './detail-panel.css';
import './row-problem.css';
import { RolloutTimelineList } from './rollout-timeline';
import { ReleaseHistory } from '../releases/release-history';

function TargetCard(props: { target: TargetState; cluster: ClusterState | undefined; now: number }) {
  const { target: t, cluster, now } = props;
  const health = healthWords[t.health];
  return (
    <section className="target-card" data-testid="target-card">
      <header className="target-card__head">
        <span className="target-card__where">
          {t.cluster} / {t.namespace}
        </span>
        <span className={`health health--${health.tone}`}>
          <span className={`dot dot--${health.tone}`} aria-hidden="true" />
          {health.word}
        </span>
      </header>
      {t.stale || (cluster && cluster.state !== 'connected') ? (
        <p className="target-card__stale" data-testid="stale-marker">
          {t.stale
            ? `Last known state — ${t.cluster} has been stale${cluster?.staleSince ? ` for ${relativeTime(cluster.staleSince, now).replace(' ago', '')}` : ''}.`
            : `${t.cluster} is ${cluster ? clusterWords[cluster.state].word : 'not connected'}.`}
          {cluster?.message ? ` ${cluster.message}` : ''}
        </p>
      ) : null}
      {t.problem ? (
        <div className="row-problem row-problem--inline" role="note">
          <span className="row-problem__icon" aria-hidden="true">
            !
          </span>
          <div className="row-problem__text">
            <div className="row-problem__message">{t.problem.message}</div>
            <div className="row-problem__hint">{t.problem.hint}</div>
          </div>
        </div>
      ) : null}
      <dl className="facts">
        <dt>Object</dt>
        <dd>
          {t.kind}/{t.name}
        </dd>
        <dt>API version</dt>
        <dd className="mono">{t.servedApiVersion ?? 'not read'}</dd>
        {t.context ? (
          <>
            <dt>Context</dt>
            <dd className="mono">{t.context}</dd>
          </>
        ) : null}
        <dt>Deployed</dt>
        <dd className="mono">
          {t.deployedVersion ?? '—'}
          {t.deployedRevision && t.deployedRevision !== t.deployedVersion ? <span className="facts__sub">{t.deployedRevision}</span> : null}
        </dd>
        {t.requestedVersion ? (
          <>
            <dt>Requested</dt>
            <dd className="mono">{t.requestedVersion}</dd>
          </>
        ) : null}
        {t.inFlightVersion ? (
          <>
            <dt>In flight</dt>
            <dd className="mono">{t.inFlightVersion}</dd>
          </>
        ) : null}
        <dt>Last deploy</dt>
        <dd>{t.lastDeployedAt ? `${relativeTime(t.lastDeployedAt, now)} (${new Date(t.lastDeployedAt).toLocaleString()})` : '—'}</dd>
      </dl>
      {t.message ? <p className="target-card__message">{t.message}</p> : null}
      {t.conditions.length > 0 ? (
        <table className="conditions">
          <thead>
            <tr>
              <th>Condition</th>
              <th>Status</th>
              <th>Reason / message</th>
            </tr>
          </thead>
          <tbody>
            {t.conditions.map((c) => (
              <tr key={c.type}>
                <td>{c.type}</td>
                <td className={c.status === 'True' ? 'ok-text' : c.status === 'False' ? 'bad-text' : 'muted'}>{c.status}</td>
                <td>
                  {c.reason ? <strong>{c.reason}</strong> : null}
                  {c.message ? <span className="conditions__message">{c.message}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No conditions reported.</p>
      )}
    </section>
  );
}

export function DetailPanel() {
  const detail = useAppStore((s) => s.detail);
  const row = useAppStore((s) => (s.detail ? s.rowsById[s.detail.rowId] : undefined));
  const clusters = useAppStore((s) => s.clusters);
  const close = useAppStore((s) => s.openDetail);
  const now = useNow();
  const report = useAppStore((s) => s.tokenReport);
  const recheck = useAppStore((s) => s.recheckToken);
  const rechecking = useAppStore((s) => s.recheckingKey);
  const heading = useRef<HTMLHeadingElement>(null);
  const words = useChangeRequestWords(row && detail ? row.environments[detail.envIndex]?.strategy.provider : undefined);
  useEffect(() => {
    if (detail) heading.current?.focus();
  }, [detail]);
  if (!detail || !row) return null;
  const cell = row.environments[detail.envIndex];
  if (!cell) return null;
  const clusterMap = new Map(clusters.map((c) => [c.name, c]));
  const tokenEntry = report ? tokenEntryFor(report, row.id, cell.name) : undefined;
  const rollup = rollupWords[cell.rollup.state];
  const onClose = () => {
    close(null);
    document.getElementById(cellDomId(row.id, cell.index))?.focus();
  };
  return (
    // Escape pressed on any control inside the panel bubbles here and closes it; the panel
    // itself is not a control.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <aside
      className="detail-panel"
      aria-labelledby="detail-title"
      data-testid="detail-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="detail-panel__head">
        <div>
          <div className="detail-panel__crumb">
            {row.namespace}/{row.name}
          </div>
          <h2 id="detail-title" ref={heading} tabIndex={-1}>
            {cell.name}
          </h2>
        </div>
        <button type="button" className="button button--ghost" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      <div className="detail-panel__body">
        <p className="detail-panel__summary">
          <span className={`health health--${rollup.tone}`}>
            <span className={`dot dot--${rollup.tone}`} aria-hidden="true" />
            {rollup.word}
          </span>
          <span> · {cell.rollup.summary}</span>
        </p>
        <p className="muted">
          Promotions into {cell.name}:{' '}
          {cell.strategy.kind === 'pull-request'
            ? `${words.noun} on ${cell.strategy.repoUrl ?? 'an unknown repository'} (${cell.strategy.baseBranch ?? 'no base branch'})`
            : cell.strategy.kind === 'notification'
              ? 'notification only'
              : 'no strategy configured'}
          {cell.strategy.manual ? ', approval required' : ''}.
        </p>
        {cell.pending.length > 0 ? (
          <ul className="detail-panel__pending">
            {cell.pending.map((p, i) => (
              <li key={i}>
                <span className={`badge badge--${p.kind}`}>{pendingLabel(p, now, words)}</span>
                {p.pr ? (
                  <span className="muted">
                    {' '}
                    {prStatusText(p.pr)} — <SafeLink href={p.pr.url}>{p.pr.url}</SafeLink>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {cell.rollout ? <RolloutTimelineList rollout={cell.rollout} provider={cell.strategy.provider} /> : null}
        <h3 className="detail-panel__section">
          {cell.targets.length} {cell.targets.length === 1 ? 'target' : 'targets'}
        </h3>
        <div data-testid="detail-targets">
          {cell.targets.map((t, i) => (
            <TargetCard key={`${t.cluster}/${t.namespace}/${i}`} target={t} cluster={clusterMap.get(t.cluster)} now={now} />
          ))}
        </div>
        <ReleaseHistory row={row} cell={cell} now={now} />
        {/* what runs where comes first; the token behind the next promotion after it */}
        {tokenEntry ? (
          <div className="detail-panel__token" data-testid="detail-token">
            <h3 className="detail-panel__section">Promotion token</h3>
            <TokenPanel entry={tokenEntry} onRecheck={(key) => void recheck(key)} recheckBusy={rechecking === tokenEntry.key} />
          </div>
        ) : null}
      </div>
    </aside>
  );
}
