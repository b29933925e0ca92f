// A modal dialog on the native <dialog> (top layer, inert page behind it) with focus kept
// inside: Tab wraps, Escape closes, focus returns to where it was when the dialog opened.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import './floating-panel.css';
import './modal.css';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Modal(props: { labelledBy: string; onClose(): void; className?: string; children: ReactNode; testId?: string; initialFocus?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { onClose, initialFocus } = props;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // a disabled target (Confirm while the plan loads) cannot take focus: then the first control does,
    // as the browser's own dialog focusing would have chosen
    const wanted = initialFocus ? [...dialog.querySelectorAll<HTMLElement>(initialFocus)].find((el) => el.matches(FOCUSABLE)) : undefined;
    const first = wanted ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, [initialFocus]);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab') return;
    const nodes = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    if (nodes.length === 0) return;
    const first = nodes[0]!;
    const last = nodes[nodes.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`modal floating-panel ${props.className ?? ''}`}
      aria-labelledby={props.labelledBy}
      data-testid={props.testId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        // Escape: close through React state so the dialog unmounts cleanly.
        e.preventDefault();
        onClose();
      }}
    >
      {props.children}
    </dialog>
  );
}
