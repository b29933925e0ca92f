// Speaks announcements to screen readers and shows refusals as a short-lived toast, so
// "why not" is visible to everyone, not only to assistive technology.
import { useEffect, useState } from 'react';
import { useAppStore } from '../store/store';

export function Announcer() {
  const announcement = useAppStore((s) => s.announcement);
  const [visible, setVisible] = useState<typeof announcement>(null);
  useEffect(() => {
    if (!announcement) return;
    setVisible(announcement);
    const id = window.setTimeout(() => setVisible(null), 7_000);
    return () => window.clearTimeout(id);
  }, [announcement]);
  return (
    <>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-region">
        {announcement?.text ?? ''}
      </div>
      {visible ? (
        <div className={`toast toast--${visible.tone}`} data-testid="toast">
          <span>{visible.text}</span>
          <button type="button" className="button button--ghost button--small" onClick={() => setVisible(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ) : null}
    </>
  );
}
