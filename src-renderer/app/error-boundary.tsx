// Last line of defence: a render error shows what happened and a way back, never a blank window.
import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="fatal" role="alert">
        <h1>Release Board hit a problem drawing this view</h1>
        <p className="fatal__message">{this.state.error.message}</p>
        <p>Your data is safe: nothing was changed. Reload the view to try again; if it keeps happening, copy the diagnostics from the Help menu into a bug report.</p>
        <button type="button" className="button button--primary" onClick={() => this.setState({ error: null })}>
          Reload view
        </button>
      </div>
    );
  }
}
