// The board view kept in the URL hash (#q=…&f=failing,stale&cluster=…&view=inbox), so a
// reload or a shared link restores the same view. Unknown values are dropped, not trusted.
import { defaultView, FILTER_KEYS, type BoardView, type FilterKey } from './board-view';

export function parseViewHash(hash: string): BoardView {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const filters = (params.get('f') ?? '').split(',').filter((f): f is FilterKey => (FILTER_KEYS as readonly string[]).includes(f));
  return {
    query: (params.get('q') ?? '').slice(0, 200),
    filters: [...new Set(filters)],
    cluster: params.get('cluster')?.slice(0, 253) || null,
    mode: params.get('view') === 'inbox' ? 'inbox' : params.get('view') === 'tokens' ? 'tokens' : params.get('view') === 'releases' ? 'releases' : defaultView.mode,
  };
}

export function viewToHash(view: BoardView): string {
  const params = new URLSearchParams();
  if (view.query) params.set('q', view.query);
  if (view.filters.length > 0) params.set('f', view.filters.join(','));
  if (view.cluster) params.set('cluster', view.cluster);
  if (view.mode !== 'board') params.set('view', view.mode);
  const s = params.toString();
  return s ? `#${s}` : '';
}
