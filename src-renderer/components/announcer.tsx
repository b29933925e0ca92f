// Speaks announcements to screen readers and shows them as a short-lived toast, so "why
// not" is visible to everyone, not only to assistive technology.
import { useEffect, useState } from 'react';
import { useAppStore } from '../store/store';
import './announcer.css';

const TOAST_MS = 7_000;

export function Announcer() {
  const announcement = useAppStore((s) => s.announcement);
  // A dialog opening is the answer to whatever the toast said; don't leave it underneath.
  const dialogOpen = useAppStore((s) => s.promote !== null);
  // A new drag makes the verdict of the last drop ("Can’t drop on …") stale.
  const dragging = useAppStore((s) => s.drag !== null);
  const [dismissed, setDismissed] = useState(0);
  useEffect(() => {
    if (!announcement) return;
    const id = window.setTimeout(() => setDismissed(announcement.id), TOAST_MS);
    return () => window.clearTimeout(id);
  }, [announcement]);
  const current = announcement && announcement.id !== dismissed && !dialogOpen && !dragging ? announcement : null;
  return (
    <>
      {/* cleared with the toast, so a screen reader's review of the region finds no stale verdict */}
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-region">
        {current?.text ?? ''}
      </div>
      {current ? (
        <div className={`toast toast--${current.tone}`} data-testid="toast">
          <span>{current.text}</span>
          <button type="button" className="button button--ghost button--small" onClick={() => setDismissed(current.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ) : null}
    </>
  );
}
