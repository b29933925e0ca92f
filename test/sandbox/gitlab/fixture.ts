// A small GitLab seed for the sandbox's own tests and the provider integration tests:
// one project in a sub-group, one in another group, people, a project bot, tokens in
// every state and a public OAuth application for the desktop app.
import { isoDateFrom } from '../clock.js';
import type { SeedGitLab } from '../seeds/types.js';
import { botUsername, gitlabTokenValue } from './state.js';

export const GL_PROJECT = 'platform-team/infra/fleet-config';
export const GL_PROJECT_ID = 4201;
export const GL_OTHER_PROJECT = 'other-group/secret-repo';
export const GL_BOT = botUsername('project', GL_PROJECT_ID, 'fleet-config promotion');
export const GL_GROUP_BOT = botUsername('group', 77, 'platform-team automation');
export const GL_CLIENT_ID = 'c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
export const GL_CONFIDENTIAL_CLIENT_ID = 'feed0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

/** Dates relative to now, as GitLab's `expires_at` (YYYY-MM-DD). */
export function dateInDays(days: number, now: Date = new Date()): string {
  return isoDateFrom(now, days);
}

export const GL_TOKENS = {
  alice: gitlabTokenValue('alice-api'),
  aliceReadOnly: gitlabTokenValue('alice-read-api'),
  expiringSoon: gitlabTokenValue('carol-expiring'),
  revoked: gitlabTokenValue('carol-revoked'),
  expired: gitlabTokenValue('carol-expired'),
  projectBot: gitlabTokenValue('project-bot'),
  reporterBot: gitlabTokenValue('project-reporter-bot'),
  outsider: gitlabTokenValue('mallory'),
  groupBot: gitlabTokenValue('group-bot'),
  /** last used 11 days ago: the figure the Tokens view must keep showing after its own checks */
  deployBot: gitlabTokenValue('project-deploy-bot'),
  carolOld: gitlabTokenValue('carol-11-days'),
} as const;

/** How long ago the deployBot and carolOld tokens were last used. */
export const GL_ELEVEN_DAYS_MS = 11 * 86_400_000;

/** Every date in it is relative to `now` (pass the forge's clock), so no expiry in it ever passes. */
export function gitlabFixtureSeed(now: Date = new Date()): SeedGitLab {
  const files: Record<string, string> = {
    'README.md': '# fleet-config\n',
    'apps/checkout/staging.yaml': 'spec:\n  chart:\n    spec:\n      version: "1.8.1" # {"$promotion": "team-payments:checkout:staging"}\n',
    'apps/checkout/prod.yaml': 'spec:\n  chart:\n    spec:\n      version: "1.8.0" # {"$promotion": "team-payments:checkout:prod"}\n',
  };
  // enough files for the tree to need several pages
  for (let i = 0; i < 45; i++) files[`padding/file-${String(i).padStart(2, '0')}.txt`] = `padding ${i}\n`;
  return {
    signInUser: 'rm-alice',
    users: [
      { username: 'rm-alice', name: 'Alice Release', id: 11 },
      { username: 'dev-bob', name: 'Bob Developer', id: 12 },
      { username: 'ci-carol', name: 'Carol Automation', id: 13 },
      { username: 'mallory', name: 'Mallory Outsider', id: 14 },
      { username: GL_BOT, name: 'fleet-config promotion', id: 15, bot: true, email: `${GL_BOT}@noreply.gitlab.example` },
      { username: GL_GROUP_BOT, name: 'platform-team automation', id: 16, bot: true },
      { username: 'root-admin', name: 'Instance Admin', id: 17, admin: true },
    ],
    groupOwners: { 'platform-team': ['rm-alice'] },
    tokens: [
      {
        value: GL_TOKENS.alice,
        username: 'rm-alice',
        kind: 'personal',
        name: 'release-board',
        scopes: ['api'],
        expiresAt: dateInDays(200, now),
        lastUsedAt: new Date(now.getTime() - 3 * 86_400_000).toISOString(),
        label: 'alice',
      },
      { value: GL_TOKENS.aliceReadOnly, username: 'rm-alice', kind: 'personal', name: 'read only', scopes: ['read_api'], expiresAt: null, label: 'aliceReadOnly' },
      {
        value: GL_TOKENS.expiringSoon,
        username: 'ci-carol',
        kind: 'personal',
        name: 'flux promotions',
        scopes: ['api', 'write_repository'],
        expiresAt: dateInDays(6, now),
        lastUsedAt: new Date(now.getTime() - 2 * 3_600_000).toISOString(),
        label: 'expiringSoon',
      },
      { value: GL_TOKENS.revoked, username: 'ci-carol', kind: 'personal', name: 'old promotions', scopes: ['api'], expiresAt: dateInDays(90, now), revoked: true, label: 'revoked' },
      { value: GL_TOKENS.expired, username: 'ci-carol', kind: 'personal', name: 'expired promotions', scopes: ['api'], expiresAt: dateInDays(-3, now), label: 'expired' },
      {
        value: GL_TOKENS.projectBot,
        username: GL_BOT,
        kind: 'project',
        name: 'fleet-config promotion',
        scopes: ['api'],
        expiresAt: dateInDays(300, now),
        lastUsedAt: null,
        resource: GL_PROJECT,
        accessLevel: 40,
        label: 'projectBot',
      },
      { value: GL_TOKENS.reporterBot, username: GL_BOT, kind: 'project', name: 'reporter', scopes: ['api'], expiresAt: null, resource: GL_PROJECT, accessLevel: 20, label: 'reporterBot' },
      { value: GL_TOKENS.outsider, username: 'mallory', kind: 'personal', name: 'mine', scopes: ['api'], expiresAt: null, label: 'outsider' },
      {
        value: GL_TOKENS.deployBot,
        username: GL_BOT,
        kind: 'project',
        name: 'deploy',
        scopes: ['api'],
        expiresAt: dateInDays(300, now),
        lastUsedAt: new Date(now.getTime() - GL_ELEVEN_DAYS_MS).toISOString(),
        resource: GL_PROJECT,
        accessLevel: 40,
        label: 'deployBot',
      },
      {
        value: GL_TOKENS.carolOld,
        username: 'ci-carol',
        kind: 'personal',
        name: 'nightly promotions',
        scopes: ['api'],
        expiresAt: dateInDays(300, now),
        lastUsedAt: new Date(now.getTime() - GL_ELEVEN_DAYS_MS).toISOString(),
        label: 'carolOld',
      },
      {
        value: GL_TOKENS.groupBot,
        username: GL_GROUP_BOT,
        kind: 'group',
        name: 'platform-team automation',
        scopes: ['read_api'],
        expiresAt: dateInDays(30, now),
        resource: 'platform-team',
        accessLevel: 30,
        label: 'groupBot',
      },
    ],
    projects: [
      { path: GL_PROJECT, id: GL_PROJECT_ID, defaultBranch: 'main', files, members: ['rm-alice', 'dev-bob', 'ci-carol'], approvalsRequired: 1 },
      { path: GL_OTHER_PROJECT, defaultBranch: 'main', files: { 'README.md': 'secret\n' }, members: ['mallory'], tier: 'free' },
    ],
    mergeRequests: [],
    oauthApps: [
      {
        clientId: GL_CLIENT_ID,
        clientSecret: 'gloas-public-not-secret',
        name: 'Release Board',
        confidential: false,
        redirectUris: ['http://127.0.0.1/callback'],
        scopes: ['api', 'read_user', 'openid'],
      },
      { clientId: GL_CONFIDENTIAL_CLIENT_ID, clientSecret: 'gloas-confidential', name: 'Confidential app', confidential: true, redirectUris: ['http://127.0.0.1/callback'], scopes: ['api'] },
    ],
  };
}
