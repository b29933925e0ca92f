// Speaks announcements to screen readers and shows them as a short-lived toast, so "why
// not" is visible to everyone, not only to assistive technology.
import { useEffect, useState } from 'react';
import { useAppStore } from '../store/store';

const TOAST_MS = 7_000;

export function Announcer() {
  const announcement = useAppStore((s) => s.announcement);
  // A dialog opening is the answer to whatever the toast said; don't leave it underneath.
  const dialogOpen = useAppStore((s) => s.promote !== null);
  const [dismissed, setDismissed] = useState(0);
  useEffect(() => {
    if (!announcement) return;
    const id = window.setTimeout(() => setDismissed(announcement.id), TOAST_MS);
    return () => window.clearTimeout(id);
  }, [announcement]);
  const visible = announcement && announcement.id !== dismissed && !dialogOpen ? announcement : null;
  return (
    <>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-region">
        {announcement?.text ?? ''}
      </div>
      {visible ? (
        <div className={`toast toast--${visible.tone}`} data-testid="toast">
          <span>{visible.text}</span>
          <button type="button" className="button button--ghost button--small" onClick={() => setDismissed(visible.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ) : null}
    </>
  );
}
