// A compact token badge for a board row or a header: avatar (data: URL or initials), who,
// and the state. Plain props: the TokenEntry the row relies on, or undefined for "no token".
import type { TokenEntry } from '../../../src-main/common/tokens';
import { initials, shortState, stateTone, whoLabel } from './token-format';
import './tokens.css';

/** Only inline images are rendered: the CSP allows img-src 'self' data: and nothing remote. */
function isInlineImage(url: string | undefined): url is string {
  return typeof url === 'string' && /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,/.test(url);
}

export function TokenAvatar(props: { entry: TokenEntry; size?: 'small' | 'large' }) {
  const size = props.size ?? 'small';
  const url = props.entry.identity?.avatarDataUrl;
  if (isInlineImage(url)) return <img className={`token-avatar token-avatar--${size}`} src={url} alt="" aria-hidden="true" />;
  return (
    <span className={`token-avatar token-avatar--${size} token-avatar--initials`} aria-hidden="true">
      {initials(props.entry)}
    </span>
  );
}

export function TokenStatePill(props: { entry: TokenEntry; long?: boolean }) {
  const tone = stateTone(props.entry.state);
  return (
    <span className={`token-state token-state--${tone}`} data-state={props.entry.state}>
      <span className={`dot dot--${tone}`} aria-hidden="true" />
      {props.long ? props.entry.stateLabel : shortState(props.entry.state)}
    </span>
  );
}

export function TokenBadge(props: { entry: TokenEntry | undefined; onSelect?: (key: string) => void; testId?: string }) {
  const { entry } = props;
  if (!entry) {
    return (
      <span className="token-badge token-badge--none" data-testid={props.testId} title="This pipeline does not promote by pull request: no token is involved.">
        no token
      </span>
    );
  }
  const who = entry.identity ? `@${entry.identity.login}` : entry.fingerprint;
  const title = `Promotion token: ${whoLabel(entry)} — ${entry.stateLabel}${entry.risks.length > 0 ? ` — ${entry.risks.length} risk${entry.risks.length === 1 ? '' : 's'}` : ''}`;
  const body = (
    <>
      <TokenAvatar entry={entry} />
      {who ? <span className="token-badge__who">{who}</span> : null}
      <TokenStatePill entry={entry} />
      {entry.risks.length > 0 ? (
        <span className="token-badge__risks" data-testid="token-risk-count">
          {entry.risks.length} {entry.risks.length === 1 ? 'risk' : 'risks'}
        </span>
      ) : null}
    </>
  );
  const className = `token-badge token-badge--${stateTone(entry.state)}`;
  if (props.onSelect) {
    const select = props.onSelect;
    return (
      <button type="button" className={className} title={title} aria-label={title} data-testid={props.testId} data-token-key={entry.key} onClick={() => select(entry.key)}>
        {body}
      </button>
    );
  }
  return (
    <span className={className} title={title} data-testid={props.testId} data-token-key={entry.key}>
      {body}
    </span>
  );
}
