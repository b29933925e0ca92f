// @vitest-environment happy-dom
// The Tokens view and its token panel in a DOM: every token state in the list, the selected
// token's who/scopes/expiry/activity against an injected clock, its risks most severe first
// with the safer alternative, and the re-check going to main through the store.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ForgeCapabilities } from '../../../src-main/common/forges';
import { ok } from '../../../src-main/common/result';
import type { SecretLocation, TokenEntry, TokenReport, TokenRisk, TokenUse } from '../../../src-main/common/tokens';
import { useAppStore } from '../../store/store';
import { resetAppBetweenTests } from '../../testing/dom';
import { installFakeMain } from '../../testing/fake-main';
import { TokensArea } from './tokens-area';
import { TokensView } from './tokens-view';

resetAppBetweenTests();

const now = new Date('2026-06-01T12:00:00Z');
const daysFromNow = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();

function secret(pipeline: string, summary = 'You may read this Secret.'): SecretLocation {
  return {
    context: 'mgmt',
    namespace: 'team',
    name: `${pipeline}-promotion`,
    hasToken: true,
    hasUsername: true,
    hasPassword: false,
    access: { youCanGet: 'yes', youCanListNamespace: 'no', method: 'self-subject-access-review', summary },
  };
}

function tokenUse(pipeline: string, environment: string, provider: TokenUse['provider'] = 'github'): TokenUse {
  return {
    pipelineId: `team/${pipeline}`,
    context: 'mgmt',
    namespace: 'team',
    pipeline,
    environment,
    provider,
    repoUrl: 'https://github.com/acme/fleet',
    secretName: `${pipeline}-promotion`,
    strategySource: 'pipeline',
  };
}

function risk(id: TokenRisk['id'], severity: TokenRisk['severity'], title: string): TokenRisk {
  return { id, severity, title, detail: `${title}: the facts.`, saferAlternative: `Instead of “${title}”, do the safe thing.`, guidance: `docs/token-guidance.md#${id}` };
}

const botToken: TokenEntry = {
  key: 'a1b2c3d4',
  fingerprint: 'a1b2c3d4',
  state: 'valid',
  stateLabel: 'works',
  provider: 'github',
  kind: 'github-fine-grained',
  kindLabel: 'fine-grained personal access token',
  identity: { login: 'promotion-bot', name: 'Promotion Bot', type: 'Bot' },
  scopes: null,
  expiresAt: daysFromNow(9),
  activity: [{ kind: 'newest-promotion-pr', label: 'Newest promotion PR: acme/fleet#12', number: 12, url: 'https://github.com/acme/fleet/pull/12', createdAt: daysFromNow(-2), repo: 'acme/fleet' }],
  secrets: [secret('checkout')],
  uses: [tokenUse('checkout', 'staging'), tokenUse('checkout', 'prod')],
  risks: [],
};

const expiredPat: TokenEntry = {
  key: 'e5f6a7b8',
  fingerprint: 'e5f6a7b8',
  state: 'expired',
  stateLabel: 'expired: the forge rejects it',
  provider: 'github',
  kind: 'github-classic',
  identity: { login: 'alice', type: 'User' },
  scopes: ['repo', 'workflow'],
  expiresAt: daysFromNow(-3),
  secrets: [secret('billing')],
  uses: [tokenUse('billing', 'prod')],
  // out of order on purpose: the panel ranks them
  risks: [risk('personal-account', 'low', 'Owned by a person'), risk('expired-or-revoked', 'high', 'The token has expired'), risk('broad-scope', 'medium', 'Broad scopes: repo')],
};

const rejectedGitlab: TokenEntry = {
  key: 'c9d0e1f2',
  fingerprint: 'c9d0e1f2',
  state: 'revoked-or-expired',
  stateLabel: 'the forge rejected it (revoked or expired)',
  provider: 'gitlab',
  kind: 'gitlab-access-token',
  identity: { login: 'deploy-bot', type: 'Bot' },
  scopes: ['write_repository'],
  activity: [{ kind: 'last-used', label: 'Last used 4 days ago', at: daysFromNow(-4) }],
  secrets: [secret('search')],
  uses: [tokenUse('search', 'prod', 'gitlab')],
  risks: [risk('expired-or-revoked', 'high', 'GitLab rejects the token')],
};

const missingSecret: TokenEntry = {
  key: 'secret:mgmt/team/ledger-promotion',
  state: 'secret-missing',
  stateLabel: 'the Secret does not exist',
  secrets: [{ ...secret('ledger'), hasToken: false, hasUsername: false }],
  uses: [tokenUse('ledger', 'prod')],
  risks: [risk('secret-missing', 'high', 'The promotion Secret does not exist')],
};

const forbidden: TokenEntry = {
  key: 'secret:mgmt/team/orders-promotion',
  state: 'forbidden',
  stateLabel: 'you may not read this Secret',
  secrets: [secret('orders', 'Your kubeconfig user may not get Secrets in team.')],
  uses: [tokenUse('orders', 'prod')],
  risks: [],
};

function report(entries: TokenEntry[]): TokenReport {
  return { generatedAt: now.toISOString(), secretReading: 'enabled', entries, pipelines: [], problems: [] };
}

const everyState = report([botToken, expiredPat, rejectedGitlab, missingSecret, forbidden]);

function capabilities(): ForgeCapabilities[] {
  const common = { pullRequestNoun: 'pull request', pullRequestShort: 'PR', pullRequestPrefix: '#', deviceFlow: true, strategyProviders: [], exampleWebUrl: 'https://example.test' };
  return [
    { ...common, type: 'github', label: 'GitHub', reportsTokenLastUse: false },
    { ...common, type: 'gitlab', label: 'GitLab', reportsTokenLastUse: true },
  ];
}

const panel = () => screen.getByTestId('token-panel');
const fact = (term: string) => within(panel()).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
const item = (key: string) => screen.getAllByTestId('token-item').find((el) => el.dataset['tokenKey'] === key)!;

describe('tokens view: the list', () => {
  it('lists every token with who it belongs to and its state in words', () => {
    render(<TokensView report={everyState} now={now} />);
    const rows = screen.getAllByTestId('token-item').map((el) => ({
      who: el.querySelector('.token-item__who')?.textContent,
      state: el.querySelector('[data-state]')?.getAttribute('data-state'),
      words: el.querySelector('[data-state]')?.textContent,
    }));
    expect(rows).toEqual([
      { who: 'Promotion Bot (@promotion-bot)', state: 'valid', words: 'works' },
      { who: '@alice', state: 'expired', words: 'expired' },
      { who: '@deploy-bot', state: 'revoked-or-expired', words: 'rejected' },
      { who: 'team/ledger-promotion', state: 'secret-missing', words: 'no Secret' },
      { who: 'team/orders-promotion', state: 'forbidden', words: 'no access' },
    ]);
    expect(screen.getByTestId('tokens-summary').textContent).toBe('3 tokens, 2 Secrets without a readable token · 5 risks');
    // the list names its most severe risk, not the first one main listed
    expect(item('e5f6a7b8').querySelector('.token-item__top')?.textContent).toBe('The token has expired');
  });

  it('shows the first token until another is picked, and marks the picked one', async () => {
    const onSelect = vi.fn();
    render(<TokensView report={everyState} now={now} onSelect={onSelect} />);
    expect(item('a1b2c3d4').getAttribute('aria-current')).toBe('true');
    await userEvent.click(item('e5f6a7b8'));
    expect(onSelect).toHaveBeenCalledWith('e5f6a7b8');
    expect(item('e5f6a7b8').getAttribute('aria-current')).toBe('true');
    expect(item('a1b2c3d4').getAttribute('aria-current')).toBeNull();
    expect(panel().dataset['tokenKey']).toBe('e5f6a7b8');
  });
});

describe('token panel: one token', () => {
  it('shows who, kind, scopes, expiry against the injected clock and the newest promotion PR', () => {
    useAppStore.setState({ forgeCapabilities: capabilities() });
    render(<TokensView report={everyState} now={now} />);
    expect(screen.getByRole('region', { name: 'Token details: Promotion Bot (@promotion-bot)' })).toBe(panel());
    expect(within(panel()).getByText('bot account')).toBeTruthy();
    expect(within(panel()).getByText('fine-grained personal access token')).toBeTruthy();
    expect(fact('Scopes')).toBe('per-repository permissions (not visible to the token)');
    expect(fact('Expiry')).toBe('expires 2026-06-10 (in 9 days)');
    expect(within(panel()).getByRole('link', { name: 'Newest promotion PR: acme/fleet#12' }).getAttribute('href')).toBe('https://github.com/acme/fleet/pull/12');
    // GitHub never says when a token was last used: the panel says so rather than implying "never"
    expect(within(panel()).getByText('GitHub does not reveal when a token was last used.')).toBeTruthy();
    expect(within(panel()).getByRole('heading', { name: 'Used by 1 pipeline' })).toBeTruthy();
    expect(within(panel()).getByText('→ staging, prod', { exact: false })).toBeTruthy();
    expect(within(panel()).getByRole('heading', { name: 'No risks found' })).toBeTruthy();
  });

  it('counts expiry from the clock it is given, not from the wall clock', () => {
    const { rerender } = render(<TokensView report={everyState} now={now} />);
    expect(fact('Expiry')).toBe('expires 2026-06-10 (in 9 days)');
    rerender(<TokensView report={everyState} now={new Date(now.getTime() + 10 * 86_400_000)} />);
    expect(fact('Expiry')).toBe('expired 2026-06-10 (1 day ago)');
  });

  it('shows an expired personal token with its scopes and its risks most severe first, each with the safer way', async () => {
    const onOpenGuidance = vi.fn();
    render(<TokensView report={everyState} now={now} selectedKey="e5f6a7b8" onOpenGuidance={onOpenGuidance} />);
    expect(within(panel()).getByText('personal account')).toBeTruthy();
    expect(within(panel()).getByText('expired: the forge rejects it')).toBeTruthy();
    expect(fact('Scopes')).toBe('repo, workflow');
    expect(fact('Expiry')).toBe('expired 2026-05-29 (3 days ago)');
    expect(within(panel()).getByRole('heading', { name: 'Risks (3)' })).toBeTruthy();
    const risks = [...panel().querySelectorAll<HTMLElement>('[data-risk]')];
    expect(risks.map((r) => [r.dataset['risk'], r.querySelector('.token-risk__severity')?.textContent])).toEqual([
      ['expired-or-revoked', 'high'],
      ['broad-scope', 'medium'],
      ['personal-account', 'low'],
    ]);
    expect(risks[1]!.querySelector('.token-risk__detail')?.textContent).toBe('Broad scopes: repo: the facts.');
    expect(risks[1]!.querySelector('.token-risk__safer')?.textContent).toBe('Safer: Instead of “Broad scopes: repo”, do the safe thing.');
    await userEvent.click(within(risks[1]!).getByRole('button', { name: 'How to fix →' }));
    expect(onOpenGuidance).toHaveBeenCalledWith('docs/token-guidance.md#broad-scope');
  });

  it('shows when a GitLab token was last used, and that the forge rejected it', () => {
    useAppStore.setState({ forgeCapabilities: capabilities() });
    render(<TokensView report={everyState} now={now} selectedKey="c9d0e1f2" />);
    expect(panel().querySelector('[data-state]')?.textContent).toBe('the forge rejected it (revoked or expired)');
    expect(fact('Activity')).toBe('Last used 4 days ago');
    expect(fact('Scopes')).toBe('write_repository');
    expect(fact('Expiry')).toBe('unknown');
  });

  it('for a Secret it may not read, shows where it is and who may read it, and claims nothing about the token', () => {
    render(<TokensView report={everyState} now={now} selectedKey="secret:mgmt/team/orders-promotion" />);
    expect(panel().querySelector('[data-state]')?.textContent).toBe('you may not read this Secret');
    expect(within(panel()).queryByText('Scopes')).toBeNull();
    expect(within(panel()).queryByText('Expiry')).toBeNull();
    // the Secret's keys are unknown when it was not read
    expect(panel().querySelector('.token-secret__keys')).toBeNull();
    expect(within(panel()).getByText('Your kubeconfig user may not get Secrets in team.')).toBeTruthy();
    expect(within(panel()).getByText(/Without reading the token, Release Board cannot assess it/)).toBeTruthy();
  });

  it('names a missing Secret as a high risk', () => {
    render(<TokensView report={everyState} now={now} selectedKey="secret:mgmt/team/ledger-promotion" />);
    expect(panel().querySelector('[data-state]')?.textContent).toBe('the Secret does not exist');
    const only = panel().querySelector<HTMLElement>('[data-risk]')!;
    expect(only.dataset['risk']).toBe('secret-missing');
    expect(only.querySelector('.token-risk__title')?.textContent).toBe('The promotion Secret does not exist');
  });
});

describe('tokens area: through the store', () => {
  it('re-checks a token by asking main through the store, and shows the new state', async () => {
    const renewed = report([{ ...expiredPat, state: 'valid', stateLabel: 'works', expiresAt: daysFromNow(90), risks: [] }]);
    const main = installFakeMain((channel) => (channel === 'tokens:recheck' ? ok(renewed) : ok(null)));
    useAppStore.setState({ tokenReport: report([expiredPat]) });
    render(<TokensArea />);
    await userEvent.click(within(panel()).getByRole('button', { name: 'Re-check' }));
    expect(main.calls).toEqual([{ channel: 'tokens:recheck', payload: { key: 'e5f6a7b8' } }]);
    const busy = within(panel()).getByRole('button', { name: 'Checking…' }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    await act(() => main.release());
    expect(panel().querySelector('[data-state]')?.getAttribute('data-state')).toBe('valid');
    expect(within(panel()).getByRole('button', { name: 'Re-check' })).toBeTruthy();
  });
});
