// The details of one token (or of a Secret that yielded none): who, kind, scopes, expiry,
// activity, where it is stored and who may read it, the pipelines using it, and its risks
// with the safer alternative. Plain props; actions are callbacks the host wires to IPC.
import type { TokenActivity, TokenEntry, TokenRisk } from '../../../src-main/common/tokens';
import { TokenAvatar, TokenStatePill } from './token-badge';
import { accountTypeLabel, expiryText, pipelinesOf, relativeDays, scopesText, secretWasRead, sortedRisks, whoLabel } from './token-format';
import './tokens.css';
import { SafeLink } from '../../components/safe-link';
import { useAppStore } from '../../store/store';
import { forgeLabel, reportsTokenLastUse } from '../forges/forge-capabilities';

export interface TokenPanelProps {
  entry: TokenEntry;
  /** Reference time for relative dates (tests and screenshots pin it). */
  now?: Date;
  onRecheck?: (key: string) => void;
  recheckBusy?: boolean;
  /** Opens a guidance link ("docs/token-guidance.md#anchor"); without it the link opens the published docs. */
  onOpenGuidance?: (link: string) => void;
  onSelectPipeline?: (pipelineId: string) => void;
  /** Approves the entry's unapproved Git host (main checks and confirms it). */
  onApproveHost?: (host: string) => void;
  approveBusy?: boolean;
}

function ActivityLine(props: { activity: TokenActivity }) {
  const a = props.activity;
  if (a.kind === 'newest-promotion-pr') {
    return (
      <SafeLink href={a.url} className="token-link">
        {a.label}
      </SafeLink>
    );
  }
  return <span>{a.label}</span>;
}

function GuidanceLink(props: { link: string; onOpen?: (link: string) => void }) {
  const label = 'How to fix';
  if (props.onOpen) {
    const open = props.onOpen;
    return (
      <button type="button" className="token-risk__guide button button--ghost" onClick={() => open(props.link)}>
        {label} →
      </button>
    );
  }
  return (
    <a className="token-risk__guide token-link" href={guidanceUrl(props.link)} target="_blank" rel="noreferrer">
      {label} →
    </a>
  );
}

/** The published guidance (docs/… in the repository); main opens it in the system browser. */
export function guidanceUrl(link: string): string {
  const [file, anchor] = link.split('#');
  const clean = (file ?? '').replace(/^\/+/, '').replace(/[^A-Za-z0-9._/-]/g, '');
  return `https://github.com/release-board/release-board/blob/main/${clean}${anchor ? `#${encodeURIComponent(anchor)}` : ''}`;
}

function RiskItem(props: { risk: TokenRisk; onOpenGuidance?: (link: string) => void }) {
  const { risk } = props;
  return (
    <li className={`token-risk token-risk--${risk.severity}`} data-risk={risk.id}>
      <div className="token-risk__head">
        <span className={`token-risk__severity token-risk__severity--${risk.severity}`}>{risk.severity}</span>
        <span className="token-risk__title">{risk.title}</span>
      </div>
      <p className="token-risk__detail">{risk.detail}</p>
      <p className="token-risk__safer">
        <strong>Safer: </strong>
        {risk.saferAlternative}
      </p>
      <GuidanceLink link={risk.guidance} {...(props.onOpenGuidance ? { onOpen: props.onOpenGuidance } : {})} />
    </li>
  );
}

export function TokenPanel(props: TokenPanelProps) {
  const { entry } = props;
  const capabilities = useAppStore((s) => s.forgeCapabilities);
  const now = props.now ?? new Date();
  const accountType = accountTypeLabel(entry);
  const risks = sortedRisks(entry.risks);
  const pipelines = pipelinesOf(entry);
  return (
    <section className="token-panel" aria-label={`Token details: ${whoLabel(entry)}`} data-testid="token-panel" data-token-key={entry.key}>
      <header className="token-panel__header">
        <TokenAvatar entry={entry} size="large" />
        <div className="token-panel__who">
          <h2 className="token-panel__title">{whoLabel(entry)}</h2>
          <div className="token-panel__sub">
            {accountType ? <span className={`token-account token-account--${entry.identity?.type === 'User' ? 'person' : 'bot'}`}>{accountType}</span> : null}
            {entry.kindLabel ? <span className="muted">{entry.kindLabel}</span> : null}
          </div>
        </div>
        <div className="token-panel__state">
          <TokenStatePill entry={entry} long />
          {props.onRecheck ? (
            <button type="button" className="button" disabled={props.recheckBusy === true} onClick={() => props.onRecheck?.(entry.key)}>
              {props.recheckBusy ? 'Checking…' : 'Re-check'}
            </button>
          ) : null}
        </div>
      </header>
      {entry.stateDetail ? <p className="token-panel__detail">{entry.stateDetail}</p> : null}
      {entry.unapprovedHost ? (
        <div className="notice notice--warn token-panel__approve" data-testid="token-unapproved-host">
          <p>
            The pipelines below keep their repository on <strong className="mono">{entry.unapprovedHost}</strong>, which is not one of your Git hosts. Release Board sends a token only to a host you
            approve, so this one was not checked. Approve it only if you trust that host with this token.
          </p>
          {props.onApproveHost ? (
            <button type="button" className="button" disabled={props.approveBusy === true} onClick={() => props.onApproveHost?.(entry.unapprovedHost!)} data-testid="token-approve-host">
              {props.approveBusy ? 'Approving…' : `Approve ${entry.unapprovedHost}`}
            </button>
          ) : null}
        </div>
      ) : null}

      <dl className="token-facts">
        {entry.fingerprint ? (
          <>
            <dt>Fingerprint</dt>
            <dd>
              <code className="token-fingerprint">{entry.fingerprint}</code> <span className="muted">(SHA-256 prefix; the token itself is never shown)</span>
            </dd>
          </>
        ) : null}
        {entry.fingerprint ? (
          <>
            <dt>Scopes</dt>
            <dd>{scopesText(entry)}</dd>
            <dt>Expiry</dt>
            <dd>{expiryText(entry, now)}</dd>
          </>
        ) : null}
        {entry.activity && entry.activity.length > 0 ? (
          <>
            <dt>Activity</dt>
            <dd>
              <ul className="token-plain-list">
                {entry.activity.map((a, i) => (
                  <li key={i}>
                    <ActivityLine activity={a} />
                  </li>
                ))}
              </ul>
              {reportsTokenLastUse(capabilities, entry.provider) ? null : (
                <span className="muted token-note">{forgeLabel(capabilities, entry.provider)} does not reveal when a token was last used.</span>
              )}
            </dd>
          </>
        ) : null}
        {entry.repositories ? (
          <>
            <dt>Repositories</dt>
            <dd>{entry.repositories.join(', ') || 'none'}</dd>
          </>
        ) : null}
        {entry.rateLimit ? (
          <>
            <dt>Rate limit</dt>
            <dd>
              {entry.rateLimit.remaining} of {entry.rateLimit.limit} left
              {entry.rateLimit.resetsAt ? <span className="muted"> · resets {entry.rateLimit.resetsAt.slice(11, 16)} UTC</span> : null}
            </dd>
          </>
        ) : null}
        {entry.apiBaseUrl ? (
          <>
            <dt>Forge</dt>
            <dd>
              <code>{entry.apiBaseUrl}</code>
              {entry.checkedAt ? (
                <span className="muted">
                  {' '}
                  · checked {relativeDays(entry.checkedAt, now) === 'today' ? 'today' : relativeDays(entry.checkedAt, now)} at {entry.checkedAt.slice(11, 16)} UTC
                </span>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>

      <h3 className="token-panel__section">Stored in</h3>
      <ul className="token-secrets">
        {entry.secrets.map((s) => (
          <li key={`${s.context}/${s.namespace}/${s.name}`} className="token-secret">
            <div>
              <code>
                {s.namespace}/{s.name}
              </code>{' '}
              <span className="muted">in {s.context}</span>
            </div>
            {secretWasRead(entry) ? (
              <div className="token-secret__keys">
                <span className={`chip ${s.hasToken ? '' : 'chip--muted'}`}>token {s.hasToken ? '✓' : '—'}</span>
                <span className={`chip ${s.hasUsername ? '' : 'chip--muted'}`}>username {s.hasUsername ? '✓' : '—'}</span>
                <span className={`chip ${s.hasPassword ? '' : 'chip--muted'}`}>password {s.hasPassword ? '✓' : '—'}</span>
              </div>
            ) : null}
            <p className="token-secret__access">{s.access.summary}</p>
          </li>
        ))}
      </ul>

      <h3 className="token-panel__section">
        Used by {pipelines.length} pipeline{pipelines.length === 1 ? '' : 's'}
      </h3>
      <ul className="token-uses">
        {pipelines.map((p) => (
          <li key={p.pipelineId}>
            {props.onSelectPipeline ? (
              <button type="button" className="token-link token-link--button" onClick={() => props.onSelectPipeline?.(p.pipelineId)}>
                {p.pipelineId}
              </button>
            ) : (
              <span className="token-uses__id">{p.pipelineId}</span>
            )}
            <span className="muted"> → {p.environments.join(', ')}</span>
          </li>
        ))}
      </ul>

      <h3 className="token-panel__section">{risks.length === 0 ? 'No risks found' : `Risks (${risks.length})`}</h3>
      {risks.length > 0 ? (
        <ul className="token-risks">
          {risks.map((r) => (
            <RiskItem key={r.id} risk={r} {...(props.onOpenGuidance ? { onOpenGuidance: props.onOpenGuidance } : {})} />
          ))}
        </ul>
      ) : (
        <p className="muted">
          {entry.fingerprint
            ? 'Nothing in what Release Board could see calls for action.'
            : 'Without reading the token, Release Board cannot assess it. Someone who may read the Secret can check it here with their own kubeconfig.'}
        </p>
      )}
    </section>
  );
}
