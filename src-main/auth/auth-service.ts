// The auth service main wires to IPC: sign in with the system browser or the device flow,
// cancel, sign out, list sessions. Holds the configured forge hosts and one vault.
// Security model: every value it returns is renderer-safe (SessionInfo, DeviceCodePrompt,
// SignInError); tokens go straight from the token endpoint into the vault. The verification
// URI of the device flow is only passed on when it lives on the host's own origin.
// Forge-neutral: the code exchange, identity lookup and device flow of each host come from
// the forge registry by host type.

import { randomUUID } from 'node:crypto';
import type { DeviceCodePrompt, ForgeHostSummary, SessionInfo, SignInError } from '../common/session';
import { err, ok, type Result } from '../common/result';
import { forgeKindFor, type ForgeRegistry } from '../forges/registry';
import type { Logger } from '../log/logger';
import { startDeviceSignIn, type DeviceAttempt } from './device-sign-in';
import { summarizeHost, validateForgeHost, type ForgeHost } from '../forges/forge-host';
import { startLoopbackSignIn, type LoopbackAttempt } from './loopback-sign-in';
import type { SessionVault } from './session-vault';
import { SignInFailure, type OpenExternal } from './sign-in-failure';
import type { FetchLike, TokenGrant } from '../forges/oauth-types';
import { systemTimers, type Timers } from './timers';

export interface AuthServiceOptions {
  hosts: ForgeHost[];
  vault: SessionVault;
  /** Opens a URL in the system browser (Electron: shell.openExternal). */
  openExternal: OpenExternal;
  fetch?: FetchLike;
  timers?: Timers;
  logger?: Logger;
  /** Chooses the OAuth functions per host type (default: the app's forge registry). */
  forges?: ForgeRegistry;
  /** Loopback sign-in timeout, default 5 minutes. */
  signInTimeoutMs?: number;
}

export interface AuthService {
  hosts(): ForgeHostSummary[];
  sessions(): SessionInfo[];
  /** Opens the browser and resolves once signed in (or failed). */
  signInWithBrowser(hostId: string, onStarted?: (attemptId: string) => void): Promise<Result<SessionInfo>>;
  /** Requests a device code; `done` settles when the user approved (or it failed). */
  startDeviceSignIn(hostId: string): Promise<Result<{ prompt: DeviceCodePrompt; done: Promise<Result<SessionInfo>> }>>;
  /** Cancels a running attempt (browser or device); true if there was one. */
  cancelSignIn(attemptId: string): boolean;
  /** Cancels every running attempt for a host; returns how many. */
  cancelSignInsFor(hostId: string): number;
  signOut(hostId: string): Promise<void>;
  /** Ends running attempts and forgets every session (app quit). */
  /** Cancels sign-ins, forgets every session and revokes the tokens where possible, within budgetMs. */
  signOutEverywhere(budgetMs: number): Promise<number>;
  shutdown(): void;
}

function failure(e: unknown): Result<never> {
  const f: SignInError = e instanceof SignInFailure ? e : { code: 'forge-unavailable', message: e instanceof Error ? e.message : String(e) };
  return err(f.code, f.message, f.hint);
}

export function createAuthService(options: AuthServiceOptions): AuthService {
  const hosts = new Map(
    options.hosts.map((h) => {
      const v = validateForgeHost(h);
      return [v.id, v] as const;
    }),
  );
  const timers = options.timers ?? systemTimers;
  const fetchImpl = options.fetch ?? fetch;
  const forges = options.forges ?? forgeKindFor;
  const attempts = new Map<string, { host: string; attempt: LoopbackAttempt | DeviceAttempt }>();

  const hostOr = (id: string): ForgeHost | Result<never> => hosts.get(id) ?? err('unknown-host', `No forge host "${id}" is configured.`);

  const complete = async (host: ForgeHost, grant: TokenGrant): Promise<SessionInfo> => {
    let identity;
    try {
      identity = await forges(host).oauth.identity(host, grant.accessToken, fetchImpl);
    } catch (e) {
      throw new SignInFailure('forge-unavailable', `Signed in, but ${host.id} did not say who you are (${(e as { status?: number }).status ?? 'network error'}).`);
    }
    return options.vault.store(host, grant, identity);
  };

  return {
    hosts: () => [...hosts.values()].map(summarizeHost),
    sessions: () => options.vault.list(),
    async signInWithBrowser(hostId, onStarted) {
      const host = hostOr(hostId);
      if ('ok' in host) return host;
      const id = randomUUID();
      const { exchangeCode, authorizeUrl } = forges(host).oauth;
      try {
        const attempt = await startLoopbackSignIn({
          host,
          openExternal: options.openExternal,
          exchange: exchangeCode,
          ...(authorizeUrl ? { authorizeUrl } : {}),
          fetch: fetchImpl,
          timers,
          ...(options.signInTimeoutMs !== undefined ? { timeoutMs: options.signInTimeoutMs } : {}),
          onRejectedCallback: () => options.logger?.warn('auth', `a request to the ${hostId} sign-in callback without this attempt's state was refused; still waiting`),
        });
        attempts.set(id, { host: host.id, attempt });
        onStarted?.(id);
        const grant = await attempt.result;
        return ok(await complete(host, grant));
      } catch (e) {
        if (e instanceof SignInFailure) options.logger?.info('auth', `browser sign-in to ${hostId} ended: ${e.code}`);
        return failure(e);
      } finally {
        attempts.delete(id);
      }
    },
    async startDeviceSignIn(hostId) {
      const host = hostOr(hostId);
      if ('ok' in host) return host;
      let attempt: DeviceAttempt;
      try {
        attempt = await startDeviceSignIn({ host, fetch: fetchImpl, timers, device: forges(host).oauth.device });
      } catch (e) {
        return failure(e);
      }
      if (new URL(attempt.prompt.verificationUri).origin !== new URL(host.webUrl).origin) {
        attempt.cancel();
        return err('invalid-host', 'The forge sent a verification page on another site; the sign-in was stopped.');
      }
      const attemptId = randomUUID();
      attempts.set(attemptId, { host: host.id, attempt });
      const done = (async (): Promise<Result<SessionInfo>> => {
        try {
          return ok(await complete(host, await attempt.result));
        } catch (e) {
          return failure(e);
        } finally {
          attempts.delete(attemptId);
        }
      })();
      return ok({ prompt: { attemptId, ...attempt.prompt }, done });
    },
    cancelSignIn(attemptId) {
      const a = attempts.get(attemptId);
      if (!a) return false;
      a.attempt.cancel();
      return true;
    },
    cancelSignInsFor(hostId) {
      let n = 0;
      for (const a of attempts.values()) {
        if (a.host !== hostId) continue;
        a.attempt.cancel();
        n++;
      }
      return n;
    },
    signOut: (hostId) => options.vault.signOut(hostId),
    async signOutEverywhere(budgetMs) {
      for (const a of attempts.values()) a.attempt.cancel();
      attempts.clear();
      return options.vault.signOutAll(budgetMs);
    },
    shutdown() {
      for (const a of attempts.values()) a.attempt.cancel();
      attempts.clear();
      options.vault.clearAll();
    },
  };
}
