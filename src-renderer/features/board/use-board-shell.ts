// Wiring for the board as a whole: subscribe to main, keep the view in the URL hash, and the
// global shortcuts (/, ?, Ctrl/Cmd+K, i) that work anywhere outside text fields.
import { useEffect } from 'react';
import { toggleReleaseLog } from '../releases/release-actions';
import { useAppStore } from '../../store/store';
import { jumpToCell } from './board-actions';
import { reviewBatch } from './batch-actions';
import { parseViewHash, viewToHash } from './url-state';

export function useBoardSubscription(): void {
  const subscribe = useAppStore((s) => s.subscribeBoard);
  useEffect(() => subscribe(), [subscribe]);
}

export function useUrlView(): void {
  useEffect(() => {
    const fromHash = () => useAppStore.getState().setView(parseViewHash(window.location.hash));
    fromHash();
    window.addEventListener('hashchange', fromHash);
    let last = useAppStore.getState().view;
    const off = useAppStore.subscribe((s) => {
      if (s.view === last) return;
      last = s.view;
      const hash = viewToHash(s.view);
      if (hash !== window.location.hash && !(hash === '' && window.location.hash === '')) {
        history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
      }
    });
    return () => {
      window.removeEventListener('hashchange', fromHash);
      off();
    };
  }, []);
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function useGlobalKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useAppStore.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        s.setOverlay(s.overlay === 'palette' ? null : 'palette');
        return;
      }
      if (e.defaultPrevented || typing(e.target) || e.ctrlKey || e.metaKey || e.altKey || s.overlay || s.promote || s.batch.kind !== 'idle') return;
      if (e.key === '/') {
        e.preventDefault();
        if (s.view.mode !== 'board') s.setView({ mode: 'board' });
        requestAnimationFrame(() => document.getElementById('board-search')?.focus());
      } else if (e.key === '?') {
        e.preventDefault();
        s.setOverlay('shortcuts');
      } else if (e.key === 'b' && !s.drag && s.batch.kind === 'idle') {
        e.preventDefault();
        reviewBatch();
      } else if (e.key === 'i' && !s.drag) {
        e.preventDefault();
        s.setView({ mode: s.view.mode === 'inbox' ? 'board' : 'inbox' });
      } else if (e.key === 'l' && !s.drag) {
        e.preventDefault();
        toggleReleaseLog();
      } else if (e.key === 'Escape' && s.detail) {
        s.openDetail(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** A clicked notification (board:focus-requested) brings its cell into view and focuses it. */
export function useFocusRequests(): void {
  const request = useAppStore((s) => s.focusRequest);
  const row = useAppStore((s) => (s.focusRequest ? s.rowsById[s.focusRequest.pipelineId] : undefined));
  useEffect(() => {
    if (!request || !row) return;
    const envIndex = row.environments.findIndex((e) => e.name === request.environment);
    useAppStore.getState().clearFocusRequest();
    jumpToCell(row.id, Math.max(0, envIndex));
  }, [request, row]);
}
