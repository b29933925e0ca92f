// Top bar: the app's name, the cluster/context area and the sign-in area.
export function TopBar() {
  return (
    <header className="top-bar">
      <div className="top-bar__brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="top-bar__title">Release Board</span>
      </div>
      <div className="top-bar__context" data-testid="context-area">
        <span className="chip chip--muted" title="Clusters appear here once Release Board reads your kubeconfig">
          <span className="dot dot--idle" aria-hidden="true" /> No clusters connected
        </span>
      </div>
      <div className="top-bar__spacer" />
      <div className="top-bar__account" data-testid="sign-in-area">
        <button type="button" className="button button--ghost" disabled title="Sign-in to your Git host arrives with user-driven promotion">
          Sign in
        </button>
      </div>
    </header>
  );
}
