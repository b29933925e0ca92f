// The top bar's account area: who is signed in to which Git host, and the ways to sign in
// (system browser, or a device code when the browser cannot reach this machine) and out.
// Sessions come from main; no token ever reaches this window.
import { useEffect, useRef, useState } from 'react';
import type { ForgeHostSummary, SessionInfo } from '../../../src-main/common/session';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../store/store';
import type { SignInAttempt } from '../../store/session-slice';
import { expiryWords, hostLabel, initialsOf, safeAvatar, sessionFor } from './session-format';
import { forgeLabel, offersDeviceFlow } from '../forges/forge-capabilities';
import { SafeLink } from '../../components/safe-link';
import '../../components/floating-panel.css';

export function SessionAvatar(props: { session: SessionInfo }) {
  const src = safeAvatar(props.session.avatarUrl);
  return src ? (
    <img className="avatar" src={src} alt="" width={20} height={20} />
  ) : (
    <span className="avatar avatar--initials" aria-hidden="true">
      {initialsOf(props.session.login, props.session.name)}
    </span>
  );
}

export function SignInProgress(props: { host: string; attempt: SignInAttempt | undefined }) {
  const cancel = useAppStore((s) => s.cancelSignIn);
  const switchToDevice = useAppStore((s) => s.switchToDeviceSignIn);
  const clear = useAppStore((s) => s.clearSignInError);
  // only forges whose registry entry has a device flow offer the code alternative
  const deviceFlow = useAppStore((s) => offersDeviceFlow(s.forgeCapabilities, s.hosts?.find((h) => h.id === props.host)?.type));
  const [copied, setCopied] = useState(false);
  const a = props.attempt;
  if (!a) return null;
  if (a.phase === 'browser')
    return (
      <div className="sign-in-progress" role="status" data-testid="sign-in-waiting">
        <span className="spinner spinner--small" aria-hidden="true" /> Waiting for the browser… finish signing in there.
        <span className="sign-in-progress__actions">
          <button type="button" className="button button--small" onClick={() => void cancel(props.host)} data-testid="sign-in-cancel">
            Cancel
          </button>
          {deviceFlow ? (
            <button type="button" className="button button--small button--ghost" onClick={() => void switchToDevice(props.host)} data-testid="sign-in-device">
              Use a code instead
            </button>
          ) : null}
        </span>
      </div>
    );
  if (a.phase === 'switching')
    return (
      <div className="sign-in-progress" role="status">
        <span>
          <span className="spinner spinner--small" aria-hidden="true" /> Getting a code…
        </span>
      </div>
    );
  if (a.phase === 'device')
    return (
      <div className="sign-in-progress sign-in-progress--device" role="status" data-testid="sign-in-device-prompt">
        <div>
          Open{' '}
          <SafeLink href={a.prompt.verificationUri} className="mono">
            {a.prompt.verificationUri}
          </SafeLink>{' '}
          and enter this code:
        </div>
        <div className="device-code">
          <code className="device-code__value" data-testid="device-user-code">
            {a.prompt.userCode}
          </code>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              void navigator.clipboard?.writeText(a.prompt.userCode).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button type="button" className="button button--small button--ghost" onClick={() => void cancel(props.host)}>
            Cancel
          </button>
        </div>
      </div>
    );
  return (
    <div className="sign-in-error" role="alert" data-testid="sign-in-error">
      <strong>{a.error.message}</strong>
      {a.error.hint ? <div className="muted">{a.error.hint}</div> : null}
      <button type="button" className="button button--small button--ghost" onClick={() => clear(props.host)}>
        Dismiss
      </button>
    </div>
  );
}

function HostEntry(props: { host: ForgeHostSummary; now: number }) {
  const { host, now } = props;
  const session = useAppStore((s) => sessionFor(s.sessions, host.id));
  const attempt = useAppStore((s) => s.signIns[host.id]);
  const signIn = useAppStore((s) => s.signIn);
  const signOut = useAppStore((s) => s.signOut);
  const device = useAppStore((s) => s.startDeviceSignIn);
  const capabilities = useAppStore((s) => s.forgeCapabilities);
  const busy = attempt !== undefined && attempt.phase !== 'failed';
  const live = session?.state === 'signed-in';
  const expiry = session ? expiryWords(session.expiresAt, now) : null;
  return (
    <li className="host-entry" data-testid="host-entry" data-host={host.id}>
      <div className="host-entry__head">
        <span className="host-entry__forge">{forgeLabel(capabilities, host.type)}</span>
        <span className="host-entry__url mono" title={host.webUrl}>
          {hostLabel(host, host.id)}
        </span>
      </div>
      {session ? (
        <div className="host-entry__session">
          <SessionAvatar session={session} />
          <span data-testid="session-login">{session.login}</span>
          {session.name ? <span className="muted">{session.name}</span> : null}
          {!live ? <span className="bad-text">sign-in expired</span> : expiry ? <span className="muted">{expiry}</span> : null}
        </div>
      ) : (
        <div className="muted">Not signed in</div>
      )}
      <SignInProgress host={host.id} attempt={attempt} />
      {!busy ? (
        <div className="host-entry__actions">
          {live ? (
            <button type="button" className="button button--small" onClick={() => void signOut(host.id)} data-testid="sign-out">
              Sign out
            </button>
          ) : (
            <>
              <button type="button" className="button button--small button--primary" onClick={() => void signIn(host.id)} data-testid="sign-in-browser">
                Sign in with browser
              </button>
              {offersDeviceFlow(capabilities, host.type) ? (
                <button type="button" className="button button--small button--ghost" onClick={() => void device(host.id)} data-testid="sign-in-code">
                  Use a code instead
                </button>
              ) : null}
            </>
          )}
        </div>
      ) : null}
    </li>
  );
}

export function SignInArea() {
  const hosts = useAppStore((s) => s.hosts);
  const hostsError = useAppStore((s) => s.hostsError);
  const sessions = useAppStore((s) => s.sessions);
  const signIns = useAppStore((s) => s.signIns);
  const [open, setOpen] = useState(false);
  const now = useNow(30_000);
  const ref = useRef<HTMLDivElement>(null);
  // The label says when a sign-in is waiting; the popover opens only when asked (a sign-in
  // started from the promote dialog is followed there, not here).
  const waiting = Object.values(signIns).some((a) => a !== undefined && a.phase !== 'failed');
  const waitingLabel = Object.values(signIns).some((a) => a?.phase === 'browser') ? 'Waiting for the browser…' : 'Waiting for your code…';
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  if (hosts === null) return <div className="top-bar__account" data-testid="sign-in-area" />;
  const live = sessions.filter((s) => s.state === 'signed-in' && hosts.some((h) => h.id === s.host));
  const label = waiting ? waitingLabel : live.length === 0 ? 'Sign in' : live.length === 1 ? live[0]!.login : `${live.length} accounts`;
  return (
    <div className="top-bar__account" data-testid="sign-in-area" ref={ref}>
      <button type="button" className="button button--ghost account-button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} data-testid="account-button">
        {live.length > 0 && !waiting ? <SessionAvatar session={live[0]!} /> : null}
        <span>{label}</span>
        <span aria-hidden="true" className="account-button__caret">
          ▾
        </span>
      </button>
      {open ? (
        <div className="account-popover floating-panel" role="dialog" aria-label="Git host accounts" data-testid="account-popover">
          {hosts.length === 0 ? (
            <div className="account-popover__empty" data-testid="no-hosts">
              <strong>No Git host is configured.</strong>
              <p>
                To promote by pull request, tell Release Board where your GitHub or GitLab lives: set <code>RELEASE_BOARD_FORGE_HOSTS</code> (or add a host in the settings file). See{' '}
                <a href="https://github.com/release-board/release-board/blob/main/docs/configuration.md" target="_blank" rel="noreferrer">
                  docs/configuration.md
                </a>
                .
              </p>
              {hostsError ? <p className="bad-text">{hostsError.message}</p> : null}
            </div>
          ) : (
            <ul className="account-popover__hosts">
              {hosts.map((h) => (
                <HostEntry key={h.id} host={h} now={now} />
              ))}
            </ul>
          )}
          <p className="account-popover__note muted">Your sign-in stays in Release Board’s main process; this window never sees a token.</p>
        </div>
      ) : null}
    </div>
  );
}
