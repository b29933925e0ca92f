// @vitest-environment happy-dom
// The rollback dialog words its change as the environment's forge does (capabilities from
// main): a GitLab environment rolls back by merge request !N, a GitHub one by pull request #N.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PromotionPlan } from '../../../src-main/common/promotion';
import { ok } from '../../../src-main/common/result';
import { githubStrategy, testEnv, testRow, testTarget } from '../../../src-main/common/test-rows';
import { useAppStore } from '../../store/store';
import { resetAppBetweenTests } from '../../testing/dom';
import { installFakeMain } from '../../testing/fake-main';
import { publishedForgeCapabilities } from '../../testing/forge-capabilities';
import { RollbackDialog } from './rollback-dialog';
import { useReleasesStore } from './releases-store';

resetAppBetweenTests();

function openRollbackOn(provider: 'github' | 'gitlab') {
  const history = [
    { version: '1.2.0', status: 'deployed' },
    { version: '1.1.0', status: 'superseded' },
  ];
  const prod = testEnv('prod', 1, [testTarget('1.2.0', { history })], { strategy: { ...githubStrategy, provider } });
  const row = testRow('api', [testEnv('dev', 0, [testTarget('1.2.0')]), prod]);
  useAppStore.setState({ forgeCapabilities: [...publishedForgeCapabilities], rowsById: { [row.id]: row } });
  useReleasesStore.setState({ rollback: { rowId: row.id, env: 'prod' } });
  render(<RollbackDialog />);
}

describe('rollback dialog wording', () => {
  it('opens a merge request on GitLab and names it !N when done', async () => {
    const plan = {
      id: 'r1',
      pipelineName: 'api',
      targetEnv: 'prod',
      title: 'Roll back api in prod to 1.1.0',
      branch: 'rollback-api-prod',
      repo: { host: 'gl', owner: 'g', name: 'p', url: 'https://gitlab.example/g/p' },
      existingPr: { number: 8 },
      files: [],
    } as unknown as PromotionPlan;
    const main = installFakeMain((channel) =>
      channel === 'promotion:plan-rollback'
        ? ok(plan)
        : ok({ planId: 'r1', number: 9, prUrl: 'https://gitlab.example/g/p/-/merge_requests/9', updated: false, rebuilt: false, files: [], baseSha: 'abc' }),
    );
    openRollbackOn('gitlab');
    const dialog = screen.getByTestId('rollback-dialog');
    expect(dialog.textContent).toContain('Opens a merge request that sets team/api in prod back from 1.2.0 to 1.1.0');
    expect(screen.getByLabelText('Why roll back? (goes into the merge request)')).toBeTruthy();
    await userEvent.type(screen.getByLabelText(/Why roll back/), 'errors up');
    await userEvent.click(screen.getByTestId('rollback-review'));
    await main.release();
    expect(screen.getByTestId('rollback-dialog').textContent).toContain('(updates the open !8)');
    await userEvent.click(screen.getByRole('button', { name: 'Open rollback MR' }));
    await main.release();
    expect(screen.getByTestId('rollback-done').textContent).toContain('Rollback merge request opened: !9');
  });

  it('says pull request on GitHub', () => {
    openRollbackOn('github');
    expect(screen.getByTestId('rollback-dialog').textContent).toContain('Opens a pull request that sets');
  });
});
