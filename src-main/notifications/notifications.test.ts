import { describe, expect, it, vi } from 'vitest';
import { boardStateOf, type BoardChange, type BoardState, type EnvironmentCell, type PipelineRow, type TargetState } from '../common/board';
import { limitBurst, notificationsForChange, type BoardNotification } from './notification-rules';
import { createNotificationService } from './notification-service';

function target(version: string, overrides: Partial<TargetState> = {}): TargetState {
  return { cluster: 'prod-eu', namespace: 'payments', kind: 'HelmRelease', name: 'checkout', deployedVersion: version, requestedVersion: version, health: 'ready', conditions: [], ...overrides };
}

function cell(name: string, targets: TargetState[], overrides: Partial<EnvironmentCell> = {}): EnvironmentCell {
  const versions = new Set(targets.map((t) => t.deployedVersion));
  const moving = targets.some((t) => t.inFlightVersion || t.health === 'reconciling');
  const failing = targets.some((t) => t.health === 'failed');
  return {
    name,
    index: 0,
    targets,
    rollup: { summary: 'x', state: failing ? 'failing' : moving ? 'progressing' : 'healthy', ...(versions.size === 1 ? { version: [...versions][0]! } : {}) },
    strategy: { kind: 'pull-request', manual: false, source: 'pipeline' },
    pending: [],
    ...overrides,
  };
}

function row(environments: EnvironmentCell[], id = 'team-payments/checkout'): PipelineRow {
  const [namespace, name] = id.split('/') as [string, string];
  return { id, cluster: 'mgmt', namespace, name, appRef: { kind: 'HelmRelease', name, apiVersion: 'helm.toolkit.fluxcd.io/v2' }, environments, problems: [] };
}

function snapshot(rows: PipelineRow[]): BoardState {
  return boardStateOf({ pipelines: rows, clusters: [], generatedAt: '2026-11-22T00:00:00Z' });
}

const pr = { number: 42, url: 'https://github.com/acme/fleet/pull/42', createdAt: '2026-11-21T00:00:00Z' };

describe('notification rules', () => {
  it('a merged promotion PR: gone from pending and its version now requested', () => {
    const before = snapshot([row([cell('prod', [target('1.8.2')], { pending: [{ kind: 'pr-open', version: '1.8.3', pr }] })])]);
    const change: BoardChange = { upserted: [row([cell('prod', [target('1.8.2', { requestedVersion: '1.8.3', inFlightVersion: '1.8.3', health: 'reconciling' })])])], removed: [] };
    expect(notificationsForChange(before, change)).toEqual([
      {
        key: 'pr-merged:team-payments/checkout:prod:42',
        kind: 'pr-merged',
        title: 'Promotion merged: team-payments/checkout → prod',
        body: 'Pull request #42 for 1.8.3 was merged; Flux is rolling it out.',
        cell: { pipelineId: 'team-payments/checkout', environment: 'prod' },
      },
    ]);
  });

  it('a merged GitLab merge request is called by its GitLab name and !N', () => {
    const gitlab: EnvironmentCell['strategy'] = { kind: 'pull-request', manual: false, source: 'pipeline', provider: 'gitlab' };
    const before = snapshot([row([cell('prod', [target('1.8.2')], { strategy: gitlab, pending: [{ kind: 'pr-open', version: '1.8.3', pr: { ...pr, number: 7 } }] })])]);
    const change: BoardChange = { upserted: [row([cell('prod', [target('1.8.2', { requestedVersion: '1.8.3' })], { strategy: gitlab })])], removed: [] };
    expect(notificationsForChange(before, change)[0]?.body).toBe('Merge request !7 for 1.8.3 was merged; Flux is rolling it out.');
  });

  it('matches the PR title’s version with or without a leading v', () => {
    const before = snapshot([row([cell('prod', [target('1.8.2')], { pending: [{ kind: 'pr-open', version: 'v1.8.3', pr }] })])]);
    const change: BoardChange = { upserted: [row([cell('prod', [target('1.8.2', { requestedVersion: '1.8.3' })])])], removed: [] };
    expect(notificationsForChange(before, change).map((n) => n.kind)).toEqual(['pr-merged']);
  });

  it('a PR closed without merging is silent', () => {
    const before = snapshot([row([cell('prod', [target('1.8.2')], { pending: [{ kind: 'pr-open', version: '1.8.3', pr }] })])]);
    const change: BoardChange = { upserted: [row([cell('prod', [target('1.8.2')])])], removed: [] };
    expect(notificationsForChange(before, change)).toEqual([]);
  });

  it('a finished rollout: progressing before, every target ready on the new version after', () => {
    const before = snapshot([row([cell('prod', [target('1.8.2', { inFlightVersion: '1.8.3', health: 'reconciling' }), target('1.8.3', { cluster: 'prod-us' })])])]);
    const change: BoardChange = { upserted: [row([cell('prod', [target('1.8.3'), target('1.8.3', { cluster: 'prod-us' })])])], removed: [] };
    const [n] = notificationsForChange(before, change);
    expect(n).toMatchObject({ kind: 'rolled-out', title: 'prod is on 1.8.3', body: 'team-payments/checkout: all 2 targets are ready on 1.8.3.' });
  });

  it('a version change seen only at the end also counts; no change, no notification', () => {
    const before = snapshot([row([cell('dev', [target('1.0.0')])])]);
    expect(notificationsForChange(before, { upserted: [row([cell('dev', [target('1.0.1')])])], removed: [] })).toHaveLength(1);
    expect(notificationsForChange(before, { upserted: [row([cell('dev', [target('1.0.0')])])], removed: [] })).toEqual([]);
  });

  it('a half-done rollout is not finished', () => {
    const before = snapshot([
      row([cell('prod', [target('1.8.2', { inFlightVersion: '1.8.3', health: 'reconciling' }), target('1.8.2', { cluster: 'prod-us', inFlightVersion: '1.8.3', health: 'reconciling' })])]),
    ]);
    const change: BoardChange = { upserted: [row([cell('prod', [target('1.8.3'), target('1.8.2', { cluster: 'prod-us', inFlightVersion: '1.8.3', health: 'reconciling' })])])], removed: [] };
    expect(notificationsForChange(before, change)).toEqual([]);
  });

  it('a failed rollout is reported with the target message', () => {
    const before = snapshot([row([cell('staging', [target('2.0.0', { inFlightVersion: '2.1.0', health: 'reconciling' })])])]);
    const change: BoardChange = { upserted: [row([cell('staging', [target('2.0.0', { health: 'failed', message: 'install retries exhausted' })])])], removed: [] };
    expect(notificationsForChange(before, change)).toEqual([
      expect.objectContaining({ kind: 'rollout-failed', title: 'Rollout failed in staging', body: 'team-payments/checkout 2.1.0: 1 target failed. install retries exhausted' }),
    ]);
  });

  it('ignores new rows, removed rows, and stale data coming back', () => {
    const before = snapshot([row([cell('prod', [target('1.0.0', { stale: true })])])]);
    expect(notificationsForChange(before, { upserted: [row([cell('prod', [target('1.1.0')])])], removed: [] })).toEqual([]);
    expect(notificationsForChange(snapshot([]), { upserted: [row([cell('prod', [target('1.1.0')])])], removed: [] })).toEqual([]);
    expect(notificationsForChange(before, { upserted: [], removed: ['team-payments/checkout'] })).toEqual([]);
  });

  it('collapses a burst into one summary that points at a failure when there is one', () => {
    const many: BoardNotification[] = [
      ...Array.from({ length: 4 }, (_, i) => ({ key: `r${i}`, kind: 'rolled-out' as const, title: '', body: '', cell: { pipelineId: `p${i}`, environment: 'dev' } })),
      { key: 'f', kind: 'rollout-failed', title: '', body: '', cell: { pipelineId: 'pf', environment: 'prod' } },
    ];
    expect(limitBurst(many.slice(0, 3))).toHaveLength(3);
    const [summary] = limitBurst(many);
    expect(summary).toMatchObject({ kind: 'summary', body: '4 rollouts finished, 1 failed.', cell: { pipelineId: 'pf', environment: 'prod' } });
  });
});

describe('notification service', () => {
  function setup(enabled = true) {
    let emit: (change: BoardChange) => void = () => {};
    const initial = { pipelines: [row([cell('dev', [target('1.0.0')])])], clusters: [], generatedAt: '2026-11-22T00:00:00Z' };
    const shown: { n: BoardNotification; click: () => void }[] = [];
    const focus = vi.fn();
    let on = enabled;
    const service = createNotificationService({
      board: { snapshot: () => initial, subscribe: (l) => ((emit = l), () => (emit = () => {})) },
      notifier: { isSupported: () => true, show: (n, click) => shown.push({ n, click }) },
      enabled: () => on,
      onFocusCell: focus,
    });
    return { service, emit: (c: BoardChange) => emit(c), shown, focus, setEnabled: (v: boolean) => (on = v) };
  }
  const bump = (version: string): BoardChange => ({ upserted: [row([cell('dev', [target(version)])])], removed: [] });

  it('shows a notification per rollout, tracking the board across changes, and focuses the cell on click', async () => {
    const { service, emit, shown, focus } = setup();
    await service.start();
    emit(bump('1.0.1'));
    emit(bump('1.0.1')); // no change
    emit(bump('1.0.2'));
    expect(shown.map((s) => s.n.title)).toEqual(['dev is on 1.0.1', 'dev is on 1.0.2']);
    shown[1]!.click();
    expect(focus).toHaveBeenCalledWith({ pipelineId: 'team-payments/checkout', environment: 'dev' });
  });

  it('does not repeat a notification when a version flaps back', async () => {
    const { service, emit, shown } = setup();
    await service.start();
    emit(bump('1.0.1'));
    emit(bump('1.0.0'));
    emit(bump('1.0.1'));
    expect(shown.map((s) => s.n.title)).toEqual(['dev is on 1.0.1', 'dev is on 1.0.0']);
  });

  it('stays quiet when turned off, and after stop()', async () => {
    const { service, emit, shown, setEnabled } = setup(false);
    await service.start();
    emit(bump('1.0.1'));
    expect(shown).toEqual([]);
    setEnabled(true);
    service.stop();
    emit(bump('1.0.2'));
    expect(shown).toEqual([]);
  });
});
