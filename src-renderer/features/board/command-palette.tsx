// Ctrl/Cmd+K: jump to a pipeline or toggle a filter by typing a few letters.
import { useMemo, useState } from 'react';
import { Modal } from '../../components/modal';
import { useAppStore } from '../../store/store';
import { jumpToCell } from './board-actions';
import { cellAction } from '../../../src-main/common/cell-action';
import { FILTER_KEYS, FILTER_LABELS } from './board-view';
import { useListModel, useOrderedRows } from './use-board-model';
import { batchCommands } from './batch-commands';
import './command-palette.css';
import { releaseCommands } from '../releases/release-commands';
import { toggleReleaseLog } from '../releases/release-actions';

export interface Command {
  id: string;
  label: string;
  hint: string;
  run(): void;
}

export function CommandPalette() {
  const open = useAppStore((s) => s.overlay === 'palette');
  const setOverlay = useAppStore((s) => s.setOverlay);
  const filters = useAppStore((s) => s.view.filters);
  const mode = useAppStore((s) => s.view.mode);
  const density = useAppStore((s) => s.density);
  const rows = useOrderedRows();
  const batchSelected = useAppStore((s) => Object.keys(s.batchSelection).length);
  const model = useListModel();
  const shownRows = useMemo(() => model.rowIds.map((id) => useAppStore.getState().rowsById[id]).filter((r) => r !== undefined), [model]);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const commands = useMemo<Command[]>(() => {
    const s = useAppStore.getState();
    const list: Command[] = FILTER_KEYS.map((f) => ({ id: `filter:${f}`, label: `${filters.includes(f) ? 'Hide' : 'Show only'}: ${FILTER_LABELS[f]}`, hint: 'filter', run: () => s.toggleFilter(f) }));
    list.push({ id: 'clear', label: 'Clear search and filters', hint: 'view', run: () => s.setView({ query: '', filters: [], cluster: null }) });
    list.push({ id: 'inbox', label: mode === 'inbox' ? 'Show the board' : 'Show pending promotions (inbox)', hint: 'view', run: () => s.setView({ mode: mode === 'inbox' ? 'board' : 'inbox' }) });
    list.push({ id: 'keys', label: 'Keyboard shortcuts', hint: 'help', run: () => s.setOverlay('shortcuts') });
    list.push({
      id: 'density',
      label: density === 'compact' ? 'Comfortable rows (cards)' : 'Compact rows (one line per pipeline)',
      hint: 'view',
      run: () => void s.setDensity(density === 'compact' ? 'comfortable' : 'compact'),
    });
    list.push(...batchCommands(rows, shownRows, batchSelected));
    list.push({ id: 'releases', label: mode === 'releases' ? 'Show the board' : 'Show the release log', hint: 'view', run: () => toggleReleaseLog() });
    for (const row of rows) {
      list.push({ id: `go:${row.id}`, label: `Go to ${row.namespace}/${row.name}`, hint: row.cluster, run: () => jumpToCell(row.id, 0) });
      list.push(...releaseCommands(row));
      // Approvals first: a gate waiting is the most pressing thing a pipeline can ask for.
      for (const cell of row.environments) {
        const action = cellAction(row, cell.index);
        if (action.kind !== 'approve' && action.kind !== 'promote') continue;
        const into = row.environments[action.toIndex]?.name ?? '';
        const label = action.kind === 'approve' ? `${action.label} into ${into} (${row.name})` : `Promote ${row.name} ${action.version} to ${into}`;
        const command = {
          id: `${action.kind}:${row.id}:${action.toIndex}`,
          label,
          hint: action.kind === 'approve' ? 'approval' : 'promote',
          run: () => s.openPromote({ rowId: row.id, from: cell.index, to: action.toIndex }),
        };
        if (action.kind === 'approve') list.unshift(command);
        else list.push(command);
      }
    }
    return list;
  }, [rows, filters, mode, shownRows, batchSelected, density]);
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = commands.filter((c) => words.every((w) => c.label.toLowerCase().includes(w))).slice(0, 10);
  if (!open) return null;
  const close = () => {
    setQuery('');
    setSelected(0);
    setOverlay(null);
  };
  const run = (c: Command | undefined) => {
    if (!c) return;
    close();
    c.run();
  };
  const active = Math.min(selected, Math.max(0, matches.length - 1));
  return (
    <Modal labelledBy="palette-title" onClose={close} className="palette" testId="command-palette">
      <h2 id="palette-title" className="visually-hidden">
        Command palette
      </h2>
      <input
        className="palette__input"
        placeholder="Jump to a pipeline or run a command…"
        aria-label="Command"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={matches[active] ? `palette-${active}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setSelected(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setSelected(Math.min(active + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setSelected(Math.max(active - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(matches[active]);
          }
        }}
      />
      <ul id="palette-list" className="palette__list" role="listbox">
        {matches.map((c, i) => (
          // Keys are handled by the search field, which points at the active option
          // (aria-activedescendant); a click on an option is the pointer's way to pick it.
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events
          <li
            key={c.id}
            id={`palette-${i}`}
            role="option"
            aria-selected={i === active}
            className={`palette__item${i === active ? ' palette__item--active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(c)}
          >
            <span>{c.label}</span>
            <span className="palette__hint">{c.hint}</span>
          </li>
        ))}
        {matches.length === 0 ? <li className="palette__empty muted">No matching pipeline or command.</li> : null}
      </ul>
    </Modal>
  );
}
