// @vitest-environment happy-dom
// The promote dialog in a DOM, driven by the promotion slice's state machine: a fake main
// stands behind the bridge (the store's boundary), so every request the dialog causes is
// recorded and answered when the test says so.
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { FileChange, PromotionPlan, PromotionResult } from '../../../src-main/common/promotion';
import { err, ok } from '../../../src-main/common/result';
import { useAppStore } from '../../store/store';
import { boardSnapshot } from '../../testing/board-fixture';
import { resetAppBetweenTests } from '../../testing/dom';
import { installFakeMain } from '../../testing/fake-main';
import { PromoteDialog } from './promote-dialog';

resetAppBetweenTests();

const now = Date.parse('2026-06-01T12:00:00Z');
const markerLine = (version: string) => `  version: ${version} # {"$promotion": "team:checkout:staging"}`;
const changes = (before: string, after: string): FileChange[] => [{ path: 'apps/checkout/staging.yaml', changes: [{ line: 7, before: markerLine(before), after: markerLine(after) }] }];

function plan(id: string, files: FileChange[] = changes('1.3.0', '1.4.0')): PromotionPlan {
  return {
    id,
    pipelineNamespace: 'team',
    pipelineName: 'checkout',
    targetEnv: 'staging',
    version: '1.4.0',
    marker: '{"$promotion": "team:checkout:staging"}',
    repo: { host: 'github', owner: 'acme', name: 'fleet', url: 'https://github.com/acme/fleet' },
    baseBranch: 'main',
    baseSha: '0123456789abcdef',
    branch: 'promotion-team-checkout-staging',
    title: 'Promote checkout to 1.4.0 in staging',
    body: '',
    files,
    author: 'promo-bot',
  };
}

function result(planId: string): PromotionResult {
  return { planId, prUrl: 'https://github.com/acme/fleet/pull/12', number: 12, updated: false, rebuilt: false, files: changes('1.3.0', '1.4.0'), baseSha: '0123456789abcdef' };
}

/** Main answering with the given plans in turn (the last one repeats) and the given apply answers in turn. */
function mainWith(answers: { plans?: unknown[]; applies?: unknown[] }) {
  const plans = [...(answers.plans ?? [ok(plan('p1'))])];
  const applies = [...(answers.applies ?? [ok(result('p1'))])];
  return installFakeMain((channel) => {
    if (channel === 'promotion:plan') return plans.length > 1 ? plans.shift() : plans[0];
    if (channel === 'promotion:apply') return applies.length > 1 ? applies.shift() : applies[0];
    return ok(null);
  });
}

function openDialog(request = { rowId: 'team/checkout', from: 0, to: 1 }) {
  useAppStore.getState().receiveSnapshot(boardSnapshot(now));
  useAppStore.setState({ hosts: [{ id: 'github', type: 'github', webUrl: 'https://github.com', apiUrl: 'https://api.github.com' }] });
  render(
    <>
      <button type="button">board</button>
      <PromoteDialog />
    </>,
  );
  act(() => screen.getByRole('button', { name: 'board' }).focus());
  act(() => useAppStore.getState().openPromote(request));
  return screen.getByTestId('promote-dialog');
}

const confirmButton = () => screen.getByTestId('promote-confirm') as HTMLButtonElement;
const channels = (main: ReturnType<typeof installFakeMain>) => main.calls.map((c) => c.channel);

describe('promote dialog: the state machine on screen', () => {
  it('reads the plan, shows the exact changes, applies them with progress and links the pull request', async () => {
    const main = mainWith({});
    const dialog = openDialog();
    expect(screen.getByRole('dialog', { name: 'Promote checkout to staging' })).toBe(dialog);
    expect(within(dialog).getByTestId('promote-planning').textContent).toContain('Reading the repository for the exact changes');
    expect(confirmButton().disabled).toBe(true);
    expect(main.calls).toEqual([{ channel: 'promotion:plan', payload: { pipelineId: 'team/checkout', targetEnv: 'staging' } }]);

    await act(() => main.release());
    expect(within(dialog).getByTestId('diff-before').textContent).toBe(markerLine('1.3.0'));
    expect(within(dialog).getByTestId('diff-after').textContent).toBe(markerLine('1.4.0'));
    expect(within(dialog).getByTestId('promote-author').textContent).toBe('promo-bot (you)');
    expect(within(dialog).getByTestId('promote-plan').textContent).toContain('opens a pull request titled “Promote checkout to 1.4.0 in staging”');
    expect(confirmButton().disabled).toBe(false);
    expect(confirmButton().textContent).toBe('Confirm and open pull request');

    await userEvent.click(confirmButton());
    expect(main.calls.at(-1)).toEqual({ channel: 'promotion:apply', payload: { planId: 'p1' } });
    const progress = within(dialog).getByRole('progressbar', { name: 'Promotion progress' });
    expect(progress.getAttribute('aria-valuenow')).toBe('0');
    expect(confirmButton().textContent).toBe('Promoting…');
    expect(confirmButton().disabled).toBe(true);
    act(() => {
      main.emit('promotion:progressed', { planId: 'p1', step: 'sign-in', status: 'done' });
      main.emit('promotion:progressed', { planId: 'p1', step: 'read-repo', status: 'done' });
      main.emit('promotion:progressed', { planId: 'p1', step: 'commit', status: 'started' });
      // another plan's progress is not this dialog's
      main.emit('promotion:progressed', { planId: 'other', step: 'open-pr', status: 'done' });
    });
    expect(progress.getAttribute('aria-valuenow')).toBe('2');
    const stepStates = [...dialog.querySelectorAll('[data-step]')].map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-state')}`);
    expect(stepStates).toEqual(['sign-in:done', 'read-repo:done', 'commit:active', 'open-pr:waiting']);

    await act(() => main.release());
    const done = within(dialog).getByTestId('promote-done');
    expect(done.textContent).toContain('Opened pull request #12.');
    expect(within(done).getByRole('link', { name: 'View it in the browser ↗' }).getAttribute('href')).toBe('https://github.com/acme/fleet/pull/12');
    expect(useAppStore.getState().announcement?.text).toBe('Opened pull request #12 for checkout in staging.');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('promote-dialog')).toBeNull();
    expect(useAppStore.getState().promote).toBeNull();
  });

  it('approves exactly the revision a gate waits for', async () => {
    const main = mainWith({});
    const dialog = openDialog({ rowId: 'team/checkout', from: 1, to: 2 });
    expect(within(dialog).getByRole('heading', { level: 2 }).textContent).toBe('Approve 1.3.0 into prod');
    expect(within(dialog).getByTestId('promote-awaiting').textContent).toContain('prod is waiting for approval of 1.3.0');
    expect(main.calls[0]).toEqual({ channel: 'promotion:plan', payload: { pipelineId: 'team/checkout', targetEnv: 'prod', revision: '1.3.0' } });
  });

  it('on a failed apply shows main’s message and hint, keeps the reviewed changes, and Retry applies the same changes', async () => {
    const failure = err('forge-unavailable', 'GitHub answered 502 Bad Gateway.', 'Nothing was pushed; try again in a moment.');
    const main = mainWith({ plans: [ok(plan('p1')), ok(plan('p2'))], applies: [failure, ok(result('p2'))] });
    const dialog = openDialog();
    await act(() => main.release());
    await userEvent.click(confirmButton());
    await act(() => main.release());

    const error = within(dialog).getByTestId('promote-apply-error');
    expect(error.dataset['code']).toBe('forge-unavailable');
    expect(within(error).getByRole('alert').textContent).toBe('The promotion did not complete. GitHub answered 502 Bad Gateway.Nothing was pushed; try again in a moment.');
    // what the user reviewed stays on screen
    expect(within(error).getByTestId('diff-after').textContent).toBe(markerLine('1.4.0'));

    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    await act(() => main.release());
    // the fresh plan has the same changes: it is applied without asking again
    expect(channels(main)).toEqual(['promotion:plan', 'promotion:apply', 'promotion:plan', 'promotion:apply']);
    expect(main.calls.at(-1)?.payload).toEqual({ planId: 'p2' });
    await act(() => main.release());
    expect(within(dialog).getByTestId('promote-done').textContent).toContain('Opened pull request #12.');
  });

  it('on a retry that finds different changes shows them for review instead of applying', async () => {
    const moved = changes('1.3.1', '1.4.0');
    const main = mainWith({ plans: [ok(plan('p1')), ok(plan('p2', moved))], applies: [err('conflict', 'The branch moved.')] });
    const dialog = openDialog();
    await act(() => main.release());
    await userEvent.click(confirmButton());
    await act(() => main.release());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));
    await act(() => main.release());

    expect(channels(main)).toEqual(['promotion:plan', 'promotion:apply', 'promotion:plan']);
    const review = within(dialog).getByTestId('promote-plan');
    expect(review.textContent).toContain('The repository changed since the failed attempt');
    expect(within(review).getByTestId('diff-before').textContent).toBe(markerLine('1.3.1'));
    expect(confirmButton().disabled).toBe(false);
  });

  it('puts a failed apply in the error presenter’s words too: its default hint, and how long to wait', async () => {
    const limited = { ok: false, error: { code: 'rate-limited', message: 'GitHub allows 5,000 requests an hour.', retryAfterSeconds: 120 } };
    const main = mainWith({ plans: [ok(plan('p1'))], applies: [limited] });
    const dialog = openDialog();
    await act(() => main.release());
    await userEvent.click(confirmButton());
    await act(() => main.release());
    const error = within(dialog).getByTestId('promote-apply-error');
    expect(within(error).getByRole('alert').textContent).toBe('The promotion did not complete. GitHub allows 5,000 requests an hour.Try again in 2 min.');
    expect(within(error).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('puts a plan error in the error presenter’s words, with Try again where trying again can help', async () => {
    const limited = { ok: false, error: { code: 'rate-limited', message: 'GitHub allows 5,000 requests an hour.', retryAfterSeconds: 120 } };
    const main = mainWith({ plans: [limited, ok(plan('p1'))] });
    const dialog = openDialog();
    await act(() => main.release());
    const error = within(dialog).getByTestId('promote-plan-error');
    expect(within(error).getByRole('alert').textContent).toBe('The Git host is rate-limiting requestsGitHub allows 5,000 requests an hour. Try again in 2 min.');
    expect(confirmButton().disabled).toBe(true);
    await userEvent.click(within(error).getByRole('button', { name: 'Try again' }));
    await act(() => main.release());
    expect(channels(main)).toEqual(['promotion:plan', 'promotion:plan']);
    expect(confirmButton().disabled).toBe(false);
  });

  it('offers no Try again where nothing would change, and signs in from the dialog where that is what is missing', async () => {
    const main = mainWith({ plans: [err('unknown-host', 'No Git host is configured for github.example.')] });
    const dialog = openDialog();
    await act(() => main.release());
    expect(within(dialog).getByTestId('promote-plan-error').textContent).toContain('No Git host configured for this repository');
    expect(within(dialog).queryByRole('button', { name: 'Try again' })).toBeNull();

    act(() => useAppStore.setState({ review: { kind: 'plan-error', error: { code: 'sign-in-required', message: 'Sign in' } } }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sign in to github.com' }));
    expect(main.calls.at(-1)).toEqual({ channel: 'auth:sign-in', payload: { host: 'github' } });
  });
});

describe('promote dialog: closing and focus', () => {
  it('closes on Escape (the dialog’s cancel event) and on Cancel, and discards the plan it was shown', async () => {
    const main = mainWith({});
    const dialog = openDialog();
    await act(() => main.release());
    // happy-dom does not turn Escape into `cancel` as browsers do for a modal dialog: send the event itself
    act(() => {
      fireEvent(dialog, new Event('cancel', { cancelable: true }));
    });
    expect(screen.queryByTestId('promote-dialog')).toBeNull();
    expect(useAppStore.getState().promote).toBeNull();
    expect(main.calls.at(-1)).toEqual({ channel: 'promotion:discard-plan', payload: { planId: 'p1' } });

    act(() => useAppStore.getState().openPromote({ rowId: 'team/checkout', from: 0, to: 1 }));
    await act(() => main.release());
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('promote-dialog')).toBeNull();
    expect(channels(main).filter((c) => c === 'promotion:discard-plan')).toHaveLength(2);
  });

  it('opens modal with focus inside, keeps Tab inside, and gives focus back on close', async () => {
    const main = mainWith({});
    const dialog = openDialog() as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    // Confirm is the dialog's first choice, but disabled while the plan loads: Cancel takes focus
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(document.activeElement).toBe(cancel);
    await act(() => main.release());

    const confirm = confirmButton();
    act(() => confirm.focus());
    await userEvent.tab();
    expect(document.activeElement).toBe(cancel); // wrapped from the last to the first
    await userEvent.tab({ shift: true });
    expect(document.activeElement).toBe(confirm); // and back

    await userEvent.click(cancel);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'board' }));
  });
});

describe('promote dialog: reaches main only through the store', () => {
  it('calls the promotion slice’s actions and never the bridge', async () => {
    const main = installFakeMain(() => ok(null));
    const actions = { startReview: vi.fn(async () => {}), confirmReview: vi.fn(async () => {}), retryReview: vi.fn(async () => {}), replanReview: vi.fn(async () => {}), closeReview: vi.fn() };
    useAppStore.setState(actions);
    const dialog = openDialog();
    expect(actions.startReview).toHaveBeenCalledWith({ pipelineId: 'team/checkout', targetEnv: 'staging' });

    act(() => useAppStore.setState({ review: { kind: 'review', plan: plan('p1') } }));
    await userEvent.click(confirmButton());
    expect(actions.confirmReview).toHaveBeenCalledTimes(1);

    act(() => useAppStore.setState({ review: { kind: 'apply-error', plan: plan('p1'), error: { code: 'conflict', message: 'The branch moved.' } } }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));
    expect(actions.retryReview).toHaveBeenCalledTimes(1);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(actions.closeReview).toHaveBeenCalled();
    expect(main.calls).toEqual([]);
  });

  it('explains a promotion that is not allowed and asks main for nothing', () => {
    const main = mainWith({});
    const dialog = openDialog({ rowId: 'team/search', from: 0, to: 1 });
    expect(within(dialog).getByRole('alert').textContent).toMatch(/running mixed versions/);
    expect(confirmButton().disabled).toBe(true);
    expect(main.calls).toEqual([]);
  });
});
