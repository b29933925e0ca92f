// Signing in from an e2e spec as the user would: the system browser (the fixture's hook) opens
// the forge's authorize page and presses Authorize. Shared by the journeys and the releases spec.
import type { Page } from '@playwright/test';
import { expect, type RealApp } from './sandbox-fixtures';

/** Plays the user in the system browser: opens the URL main asked for and presses Authorize. */
export async function authorizeInBrowser(page: Page, app: RealApp, button: string): Promise<string> {
  const url = await app.browser.next(20_000);
  const tab = await page.context().newPage();
  try {
    await tab.goto(url);
    await tab.locator(button).click();
    // the forge redirects to main's loopback listener, which answers with its own page
    await tab.waitForURL((u) => u.hostname === '127.0.0.1' && !u.href.startsWith(new URL(url).origin), { timeout: 15_000 });
  } finally {
    await tab.close();
  }
  return url;
}

/**
 * Signs in to the GitHub sandbox forge unless a session exists, as the user would from the
 * account menu, so that no journey depends on an earlier one having signed in.
 */
export async function signedInToGitHub(page: Page, app: RealApp): Promise<void> {
  const dispatch = app.services.dispatcher.dispatch.bind(app.services.dispatcher);
  const hosts = (await dispatch('auth:list-hosts', undefined)) as { ok: true; value: { id: string; type: string }[] };
  const github = hosts.value.find((h) => h.type === 'github');
  if (!github) throw new Error('the demo app has no GitHub host');
  const sessions = (await dispatch('auth:list-sessions', undefined)) as { ok: true; value: { host: string }[] };
  if (sessions.value.some((s) => s.host === github.id)) return;
  const signingIn = dispatch('auth:sign-in', { host: github.id });
  await authorizeInBrowser(page, app, '#js-oauth-authorize-btn');
  expect(await signingIn).toMatchObject({ ok: true, value: { host: github.id, login: app.sandbox.users.signIn.login } });
}
