// @vitest-environment happy-dom
// The environment cell in a DOM: what it shows for a board fixture, what it offers (and does
// not), and — inside the board's grid, which owns the keyboard — the store actions its keys
// and clicks dispatch.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ClusterState, PipelineRow } from '../../../src-main/common/board';
import { useAppStore } from '../../store/store';
import { boardSnapshot, checkoutRow, ledgerRow, searchRow } from '../../testing/board-fixture';
import { resetAppBetweenTests } from '../../testing/dom';
import { publishedForgeCapabilities } from '../../testing/forge-capabilities';
import { BoardList } from './board-list';
import { buildListModel, defaultView } from './board-view';
import { EnvCell, type EnvCellProps } from './env-cell';

resetAppBetweenTests();

const now = Date.parse('2026-06-01T12:00:00Z');
const connected = new Map<string, ClusterState>([['mgmt', { name: 'mgmt', state: 'connected' }]]);

function renderCell(row: PipelineRow, envIndex: number, extra: Partial<EnvCellProps> = {}) {
  useAppStore.getState().receiveSnapshot(boardSnapshot(now, [row]));
  const props: EnvCellProps = {
    row,
    cell: row.environments[envIndex]!,
    isLast: envIndex === row.environments.length - 1,
    focused: false,
    focusToken: 0,
    flash: null,
    dragSource: null,
    clusters: connected,
    now,
    onOpen: vi.fn(),
    onFocusCell: vi.fn(),
    ...extra,
  };
  const { unmount } = render(<EnvCell {...props} />);
  return { cell: screen.getByRole('gridcell'), props, unmount };
}

describe('environment cell: what it shows', () => {
  it('names version, health and rollup in words and in its accessible label', () => {
    const { cell } = renderCell(checkoutRow(now), 0);
    expect(cell.getAttribute('aria-label')).toBe('checkout dev: 1.4.0, Healthy, 1.4.0');
    expect(within(cell).getByTestId('version-chip').textContent).toBe('1.4.0');
    expect(within(cell).getByTestId('cell-health').textContent).toBe('Healthy');
    expect(within(cell).getByTestId('cell-summary').textContent).toBe('1 target3h ago');
    expect(cell.getAttribute('aria-selected')).toBe('false');
  });

  it('shows a failing environment as failing, with the target’s message in place', () => {
    const { cell } = renderCell(searchRow(), 1);
    expect(cell.className).toContain('cell--failing');
    expect(cell.getAttribute('aria-label')).toContain('search staging: 2.0.0, Failing');
    expect(within(cell).getByTestId('cell-note').textContent).toBe('Helm upgrade failed: timed out waiting for the condition');
  });

  it('in compact rows has no summary or note lines, and still says it all in its label', () => {
    useAppStore.setState({ density: 'compact' });
    const { cell } = renderCell(searchRow(), 1);
    expect(within(cell).queryByTestId('cell-summary')).toBeNull();
    expect(within(cell).queryByTestId('cell-note')).toBeNull();
    expect(within(cell).getByTestId('cell-health').textContent).toBe('Failing'); // for screen readers; the dot shows it
    expect(cell.getAttribute('aria-label')).toContain('search staging: 2.0.0, Failing');
  });

  it('lists the versions of a mixed environment with their target counts', () => {
    const { cell } = renderCell(searchRow(), 0);
    expect(within(cell).getByTestId('cell-health').textContent).toBe('Mixed');
    expect(within(cell).getByTestId('cell-summary').textContent).toBe('2.1.0 ×1 · 2.0.0 ×1');
  });

  it('says which cluster is unreachable instead of showing stale data as current', () => {
    const down = new Map<string, ClusterState>([['mgmt', { name: 'mgmt', state: 'unreachable' }]]);
    const { cell } = renderCell(checkoutRow(now), 0, { clusters: down });
    const note = within(cell).getByTestId('cell-note');
    expect(note.textContent).toBe('mgmt: unreachable');
    expect(note.className).toContain('cell__note--bad');
  });

  it('shows an open PR with its label, age and review/checks status', () => {
    renderCell(checkoutRow(now), 1);
    const pr = screen.getByTestId('pending-badge');
    expect(pr.className).toContain('badge--pr-open');
    expect(pr.querySelector('.badge__label')?.textContent).toBe('PR #42 · 1.4.0 · 5h');
    expect(within(pr).getByTestId('pr-status').textContent).toBe(' · approved · checks passed');
  });

  it('shows the approval gate of the last environment, which offers nothing to move on', () => {
    const { cell } = renderCell(checkoutRow(now), 2);
    expect(within(cell).getByTestId('pending-badge').textContent).toBe('Awaiting approval · 1.3.0');
    expect(within(cell).queryByTestId('promote-button')).toBeNull();
    // the last version cannot be dragged anywhere
    expect(within(cell).getByTestId('version-chip').className).toContain('version-chip--static');
  });

  it('asks for a sign-in where open PRs could not be read, instead of claiming there are none', () => {
    const row = checkoutRow(now);
    row.environments[1]!.pending = [{ kind: 'pr-unknown', version: '1.4.0' }];
    renderCell(row, 1);
    const badge = screen.getByTestId('pending-badge');
    expect(badge.className).toContain('badge--pr-unknown');
    expect(badge.textContent).toBe('Sign in to see open PRs · 1.4.0');
  });

  it('calls GitLab’s merge requests MR !N, in the words main publishes for the forge', () => {
    useAppStore.setState({ forgeCapabilities: [...publishedForgeCapabilities] });
    const row = checkoutRow(now);
    const staging = row.environments[1]!;
    staging.strategy = { ...staging.strategy, provider: 'gitlab', repoUrl: 'https://gitlab.example/acme/fleet' };
    renderCell(row, 1);
    expect(screen.getByTestId('pending-badge').querySelector('.badge__label')?.textContent).toBe('MR !42 · 1.4.0 · 5h');
  });
});

describe('environment cell: what it offers', () => {
  it('offers Promote to the next environment, and the button opens that promotion', async () => {
    const { cell } = renderCell(checkoutRow(now), 0);
    const button = within(cell).getByRole('button', { name: 'Promote →' });
    expect(button.getAttribute('title')).toBe('Promote 1.4.0 to staging');
    expect(button.dataset['action']).toBe('promote');
    await userEvent.click(button);
    expect(useAppStore.getState().promote).toEqual({ rowId: 'team/checkout', from: 0, to: 1 });
  });

  it('offers Approve for exactly the revision the next environment waits for', async () => {
    const { cell, props } = renderCell(checkoutRow(now), 1);
    const button = within(cell).getByRole('button', { name: 'Approve 1.3.0 →' });
    expect(button.dataset['action']).toBe('approve');
    await userEvent.click(button);
    expect(useAppStore.getState().promote).toEqual({ rowId: 'team/checkout', from: 1, to: 2 });
    // the button's click is its own: it does not also open the cell
    expect(props.onOpen).not.toHaveBeenCalled();
  });

  it('offers no promotion from a mixed environment, and says why on the version', () => {
    const { cell } = renderCell(searchRow(), 0);
    expect(within(cell).queryByTestId('promote-button')).toBeNull();
    expect(within(cell).getByTestId('version-chip').getAttribute('title')).toMatch(/can’t promote: .*running mixed versions/);
  });

  it('says "already on" instead of offering a promotion that changes nothing', () => {
    const { cell } = renderCell(ledgerRow(), 0);
    expect(within(cell).queryByTestId('promote-button')).toBeNull();
    const already = within(cell).getByTestId('already-on');
    expect(already.textContent).toBe('already on 3.0.0');
    expect(already.getAttribute('title')).toBe('staging already runs 3.0.0.');
  });

  it('while a version of its pipeline is dragged, says whether a drop here promotes it or why not', () => {
    const row = checkoutRow(now);
    const next = renderCell(row, 1, { dragSource: 0 });
    expect(within(next.cell).getByTestId('drop-verdict').textContent).toBe('Drop to promote 1.4.0 to staging');
    expect(next.cell.className).toContain('cell--drop-ok');
    next.unmount();
    const skipped = renderCell(row, 2, { dragSource: 0 });
    expect(skipped.cell.className).toContain('cell--drop-no');
    expect(within(skipped.cell).getByTestId('drop-verdict').textContent).toMatch(/one step at a time/);
  });

  it('opens on click, and picks itself for a batch on Ctrl-click instead', async () => {
    const { cell, props } = renderCell(checkoutRow(now), 0);
    await userEvent.click(cell);
    expect(props.onOpen).toHaveBeenCalledWith(0);
    const user = userEvent.setup();
    await user.keyboard('{Control>}');
    await user.click(cell);
    await user.keyboard('{/Control}');
    expect(useAppStore.getState().batchSelection).toEqual({ 'team/checkout|0': true });
    expect(cell.getAttribute('aria-selected')).toBe('true');
    expect(cell.className).toContain('cell--selected');
    expect(props.onOpen).toHaveBeenCalledTimes(1);
  });

  it('is the grid’s one tab stop when focused, and takes focus when the store asks for it', () => {
    const unfocused = renderCell(checkoutRow(now), 0);
    expect(unfocused.cell.tabIndex).toBe(-1);
    expect(within(unfocused.cell).getByTestId('promote-button').tabIndex).toBe(-1);
    unfocused.unmount();
    // the token the store hands out with a focus request (as keyboard navigation makes one)
    useAppStore.getState().focusCell({ rowId: 'team/checkout', envIndex: 0 });
    const { cell } = renderCell(checkoutRow(now), 0, { focused: true, focusToken: useAppStore.getState().focus!.token });
    expect(cell.tabIndex).toBe(0);
    expect(document.activeElement).toBe(cell);
  });
});

describe('environment cell in the board grid: the keyboard', () => {
  // happy-dom lays nothing out: the list's viewport is 0 px high and it draws what its
  // overscan reaches, which these two rows fit in
  function renderBoard() {
    const rows = [checkoutRow(now), searchRow()];
    useAppStore.getState().receiveSnapshot(boardSnapshot(now, rows));
    const model = buildListModel(rows, defaultView, [{ name: 'mgmt', state: 'connected' }], new Set());
    render(<BoardList model={model} />);
    const cellOf = (rowId: string, env: string) => screen.getAllByTestId('env-cell').find((c) => c.dataset['rowId'] === rowId && c.dataset['env'] === env)!;
    return { cellOf, user: userEvent.setup() };
  }

  it('p on a cell opens the promotion to the next environment', async () => {
    const { cellOf, user } = renderBoard();
    act(() => cellOf('team/checkout', 'dev').focus());
    await user.keyboard('p');
    expect(useAppStore.getState().promote).toEqual({ rowId: 'team/checkout', from: 0, to: 1 });
  });

  it('p where nothing may be promoted opens nothing and says why', async () => {
    const { cellOf, user } = renderBoard();
    act(() => cellOf('team/search', 'dev').focus());
    await user.keyboard('p');
    expect(useAppStore.getState().promote).toBeNull();
    expect(useAppStore.getState().announcement).toMatchObject({ tone: 'refusal', text: expect.stringMatching(/^Can’t promote: .*running mixed versions/) });
  });

  it('x picks the cell for a batch and x again drops it', async () => {
    const { cellOf, user } = renderBoard();
    const cell = cellOf('team/checkout', 'staging');
    act(() => cell.focus());
    await user.keyboard('x');
    expect(useAppStore.getState().batchSelection).toEqual({ 'team/checkout|1': true });
    expect(cell.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('x');
    expect(useAppStore.getState().batchSelection).toEqual({});
  });

  it('Enter opens the cell’s details; arrows move the focus between cells', async () => {
    const { cellOf, user } = renderBoard();
    act(() => cellOf('team/checkout', 'dev').focus());
    await user.keyboard('{Enter}');
    expect(useAppStore.getState().detail).toEqual({ rowId: 'team/checkout', envIndex: 0 });
    await user.keyboard('{ArrowRight}');
    expect(useAppStore.getState().focus).toMatchObject({ rowId: 'team/checkout', envIndex: 1 });
    expect(document.activeElement).toBe(cellOf('team/checkout', 'staging'));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(cellOf('team/search', 'staging'));
  });

  it('labels the grid and its cells for assistive technology', () => {
    const { cellOf } = renderBoard();
    expect(screen.getByRole('grid', { name: 'Pipelines and their environments' })).toBeTruthy();
    const labels = screen.getAllByTestId('env-cell').map((c) => c.getAttribute('aria-label'));
    expect(labels).toEqual([
      'checkout dev: 1.4.0, Healthy, 1.4.0',
      'checkout staging: 1.3.0, Healthy, 1.3.0',
      'checkout prod: 1.2.0, Healthy, 1.2.0',
      'search dev: 2.1.0, Mixed, 2.1.0',
      'search staging: 2.0.0, Failing, 2.0.0',
    ]);
    expect(within(cellOf('team/checkout', 'dev')).getByTestId('version-chip').getAttribute('aria-roledescription')).toBe('draggable version');
  });
});
