// A calm, centred message for empty, loading and error states, with an optional action.
import type { ReactNode } from 'react';

export function StatePanel(props: { tone: 'neutral' | 'loading' | 'error'; title: string; children?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <section className={`state-panel state-panel--${props.tone}`} data-testid={props.testId} role={props.tone === 'error' ? 'alert' : 'status'} aria-live="polite">
      {props.tone === 'loading' ? <span className="spinner" aria-hidden="true" /> : <span className={`state-panel__icon state-panel__icon--${props.tone}`} aria-hidden="true" />}
      <h2 className="state-panel__title">{props.title}</h2>
      {props.children ? <div className="state-panel__body">{props.children}</div> : null}
      {props.action ? <div className="state-panel__action">{props.action}</div> : null}
    </section>
  );
}
