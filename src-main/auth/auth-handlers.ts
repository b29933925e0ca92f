// The auth:* request handlers: sign-in hosts, sessions, browser and device sign-in, sign-out.
import { ok } from '../common/result';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import type { AuthService } from './auth-service';

export type AuthHandlers = Pick<RequestHandlers, 'auth:list-hosts' | 'auth:list-sessions' | 'auth:sign-in' | 'auth:start-device-sign-in' | 'auth:cancel-sign-in' | 'auth:sign-out'>;

export function authHandlers(auth: AuthService, events: Pick<EventHub, 'emit'>): AuthHandlers {
  return {
    'auth:list-hosts': () => ok(auth.hosts()),
    'auth:list-sessions': () => ok(auth.sessions()),
    'auth:sign-in': ({ host }) => auth.signInWithBrowser(host),
    'auth:start-device-sign-in': async ({ host }) => {
      const started = await auth.startDeviceSignIn(host);
      if (!started.ok) return started;
      const { prompt, done } = started.value;
      void done.then((result) =>
        events.emit('auth:device-sign-in-finished', {
          attemptId: prompt.attemptId,
          host,
          ok: result.ok,
          ...(result.ok ? { session: result.value } : { error: { code: result.error.code as never, message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) } }),
        }),
      );
      return ok(prompt);
    },
    'auth:cancel-sign-in': ({ host }) => ok(auth.cancelSignInsFor(host)),
    'auth:sign-out': async ({ host }) => {
      await auth.signOut(host);
      return ok(null);
    },
  };
}
