// "Promote all N waiting": the Inbox's promotions and approvals that can be acted on now, in
// one batch review. A small component of its own so the Inbox layout can change around it.
import { useMemo } from 'react';
import { useAppStore } from '../../store/store';
import { reviewBatch } from './batch-actions';
import { inboxCells } from './batch-selection';
import './batch.css';
import type { InboxItem } from './board-view';

export function InboxBatchButton(props: { items: readonly InboxItem[] }) {
  const rowsById = useAppStore((s) => s.rowsById);
  const cells = useMemo(() => inboxCells(props.items, rowsById), [props.items, rowsById]);
  if (cells.length < 2) return null;
  return (
    <button
      type="button"
      className="button button--small button--primary inbox-batch"
      onClick={() => {
        useAppStore.getState().selectBatchCells(cells);
        reviewBatch(cells);
      }}
      data-testid="inbox-promote-all"
      title="Review every waiting promotion and approval in one batch: one pull request each"
    >
      Promote all {cells.length} waiting
    </button>
  );
}
