// The session vault: the one place forge tokens live.
// Security model: tokens are held in this closure's memory only: never written to disk
// (not even with safeStorage), never logged, never part of any value this module returns
// except inside `withToken`, which hands the access token to a callback in main (the git
// layer) for the duration of one operation. The outside sees SessionInfo (login, expiry,
// scopes, state). Expiring tokens are refreshed in memory before they expire; a refresh that
// fails for good, or a 401 from the forge, drops the token and marks the session
// 'sign-in-required'. signOut revokes the token server-side where the forge allows it;
// clearAll (on quit) forgets everything. How a token is refreshed or revoked is the forge
// registry's business (per host type); refreshes are serialised per session, which forges
// that rotate single-use refresh tokens rely on.

import type { SessionInfo } from '../common/session';
import type { Logger } from '../log/logger';
import { forgeKindFor, type ForgeRegistry } from '../forges/registry';
import type { ForgeHost } from '../forges/forge-host';
import { OAuthEndpointError, type FetchLike, type Identity, type TokenGrant } from '../forges/oauth-types';
import { systemTimers, type Timers } from './timers';
import { SignInRequiredError, type SessionTokens } from '../forges/session-tokens';

export { SignInRequiredError };

export interface SessionVault extends SessionTokens {
  list(): SessionInfo[];
  /** Stores a fresh grant; used by the sign-in flows only. */
  store(host: ForgeHost, grant: TokenGrant, identity: Identity): SessionInfo;
  /** Refreshes now (normally driven by the timer). Resolves when done; never throws. */
  refresh(hostId: string): Promise<SessionInfo | undefined>;
  signOut(hostId: string): Promise<void>;
  /**
   * On quit: forgets every session at once and revokes each token at its forge where the forge
   * allows it, in parallel, giving up after `budgetMs` (quitting must not hang on a slow forge).
   * Resolves with how many revocations the forges confirmed in time.
   */
  signOutAll(budgetMs: number): Promise<number>;
  clearAll(): void;
  /** Called with the full session list after every change. Returns unsubscribe. */
  onChange(listener: (sessions: SessionInfo[]) => void): () => void;
}

export interface SessionVaultOptions {
  fetch?: FetchLike;
  /** Chooses refresh/revoke per host type (default: the app's forge registry). */
  forges?: ForgeRegistry;
  timers?: Timers;
  logger?: Logger;
  /** Refresh this long before expiry (default 5 minutes, at most half the token's lifetime). */
  refreshMarginMs?: number;
  /** Wait between retries of a refresh that failed transiently (default 60 s). */
  refreshRetryMs?: number;
}

interface Entry {
  host: ForgeHost;
  info: SessionInfo;
  grant: TokenGrant | null;
  issuedAt: number;
  cancelTimer?: () => void;
  refreshing?: Promise<void>;
}

const isUnauthorized = (e: unknown): boolean => typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 401;

export function createSessionVault(options: SessionVaultOptions = {}): SessionVault {
  const fetchImpl = options.fetch ?? fetch;
  const timers = options.timers ?? systemTimers;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const retryMs = options.refreshRetryMs ?? 60_000;
  const log = options.logger;
  const forges = options.forges ?? forgeKindFor;
  const entries = new Map<string, Entry>();
  const listeners = new Set<(s: SessionInfo[]) => void>();

  const snapshot = (): SessionInfo[] => [...entries.values()].map((e) => ({ ...e.info, scopes: [...e.info.scopes] }));
  const emit = (): void => {
    const list = snapshot();
    for (const l of listeners) l(list);
  };

  const refreshDue = (e: Entry): number | null => {
    if (!e.grant?.expiresAt) return null;
    const lifetime = e.grant.expiresAt - e.issuedAt;
    return e.grant.expiresAt - Math.min(margin, Math.max(lifetime / 2, 0));
  };

  const dropToken = (e: Entry, why: string): void => {
    e.cancelTimer?.();
    delete e.cancelTimer;
    e.grant = null;
    if (e.info.state !== 'sign-in-required') {
      e.info = { ...e.info, state: 'sign-in-required' };
      log?.info('auth', `session for ${e.info.login}@${e.host.id} needs a new sign-in: ${why}`);
      emit();
    }
  };

  const schedule = (e: Entry, delayOverride?: number): void => {
    e.cancelTimer?.();
    delete e.cancelTimer;
    const due = refreshDue(e);
    if (due === null || !e.grant?.refreshToken) {
      if (e.grant?.expiresAt) {
        // not refreshable: forget it when it expires
        e.cancelTimer = timers.setTimeout(() => dropToken(e, 'the token expired'), Math.max(e.grant.expiresAt - timers.now(), 0));
      }
      return;
    }
    const delay = delayOverride ?? Math.max(due - timers.now(), 0);
    e.cancelTimer = timers.setTimeout(() => {
      void runRefresh(e);
    }, delay);
  };

  const runRefresh = (e: Entry): Promise<void> => {
    if (e.refreshing) return e.refreshing;
    const grant = e.grant;
    if (!grant) return Promise.resolve();
    const p = (async () => {
      try {
        const next = await forges(e.host).oauth.refresh(e.host, grant, { fetch: fetchImpl, now: timers.now });
        if (entries.get(e.host.id) !== e || e.grant !== grant) return; // signed out meanwhile
        e.grant = next;
        e.issuedAt = timers.now();
        e.info = { ...e.info, expiresAt: next.expiresAt ? new Date(next.expiresAt).toISOString() : null, state: 'signed-in' };
        log?.debug('auth', `refreshed the session of ${e.info.login}@${e.host.id}`);
        schedule(e);
        emit();
      } catch (err) {
        if (entries.get(e.host.id) !== e || e.grant !== grant) return;
        const transient = err instanceof OAuthEndpointError && err.transient;
        const stillValid = grant.expiresAt !== null && grant.expiresAt - timers.now() > 1000;
        if (transient && stillValid) {
          log?.warn('auth', `token refresh for ${e.host.id} failed (${err.oauthError}); retrying`);
          schedule(e, Math.min(retryMs, Math.max((grant.expiresAt as number) - timers.now() - 1000, 0)));
        } else {
          dropToken(e, err instanceof OAuthEndpointError ? `refresh failed (${err.oauthError})` : 'refresh failed');
        }
      }
    })().finally(() => {
      delete e.refreshing;
    });
    e.refreshing = p;
    return p;
  };

  const requireEntry = (hostId: string): Entry => {
    const e = entries.get(hostId);
    if (!e) throw new SignInRequiredError(hostId, `You are not signed in to ${hostId}.`);
    return e;
  };

  return {
    list: snapshot,
    get(hostId) {
      const e = entries.get(hostId);
      return e ? { ...e.info, scopes: [...e.info.scopes] } : undefined;
    },
    async withToken(hostId, fn) {
      const e = requireEntry(hostId);
      if (e.grant && e.grant.expiresAt !== null) {
        const due = refreshDue(e);
        if (due !== null && timers.now() >= due && e.grant.refreshToken) await runRefresh(e);
        if (e.grant && e.grant.expiresAt !== null && e.grant.expiresAt <= timers.now()) dropToken(e, 'the token expired');
      }
      const grant = e.grant;
      if (!grant) throw new SignInRequiredError(hostId, `Your sign-in to ${hostId} has expired. Sign in again.`);
      try {
        return await fn(grant.accessToken);
      } catch (err) {
        if (isUnauthorized(err) && e.grant === grant) dropToken(e, 'the forge rejected the token (401)');
        throw err;
      }
    },
    store(host, grant, identity) {
      const old = entries.get(host.id);
      old?.cancelTimer?.();
      const info: SessionInfo = {
        host: host.id,
        login: identity.login,
        name: identity.name,
        avatarUrl: identity.avatarUrl,
        expiresAt: grant.expiresAt ? new Date(grant.expiresAt).toISOString() : null,
        scopes: identity.scopes ?? grant.scopes,
        state: 'signed-in',
      };
      const e: Entry = { host, info, grant, issuedAt: timers.now() };
      entries.set(host.id, e);
      schedule(e);
      log?.info('auth', `signed in to ${host.id} as ${identity.login}`);
      emit();
      return { ...info, scopes: [...info.scopes] };
    },
    async refresh(hostId) {
      const e = entries.get(hostId);
      if (!e) return undefined;
      await runRefresh(e);
      return this.get(hostId);
    },
    async signOut(hostId) {
      const e = entries.get(hostId);
      if (!e) return;
      e.cancelTimer?.();
      entries.delete(hostId);
      const token = e.grant?.accessToken;
      e.grant = null;
      emit();
      log?.info('auth', `signed out of ${hostId}`);
      if (token)
        await forges(e.host)
          .oauth.revoke(e.host, token, fetchImpl)
          .catch(() => false);
    },
    async signOutAll(budgetMs) {
      const revocations = [...entries.values()].flatMap((e) => {
        const token = e.grant?.accessToken;
        return token
          ? [
              forges(e.host)
                .oauth.revoke(e.host, token, fetchImpl)
                .catch(() => false),
            ]
          : [];
      });
      this.clearAll();
      if (revocations.length === 0) return 0;
      let confirmed = 0;
      const all = Promise.all(revocations.map((r) => r.then((done) => void (done && confirmed++))));
      let cancel: (() => void) | undefined;
      const budget = new Promise<void>((resolve) => (cancel = timers.setTimeout(resolve, budgetMs)));
      await Promise.race([all, budget]);
      cancel?.();
      log?.info('auth', `on quit: ${confirmed} of ${revocations.length} tokens revoked at their forge`);
      return confirmed;
    },
    clearAll() {
      for (const e of entries.values()) {
        e.cancelTimer?.();
        e.grant = null;
      }
      const had = entries.size > 0;
      entries.clear();
      if (had) emit();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
