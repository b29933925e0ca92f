// Device-flow sign-in (RFC 8628): no client secret, no listener. The forge's device
// endpoints come from the forge registry; a forge without a device flow is refused up front.
// Security model: the user code and verification URI are shown to the user, the device code
// never leaves main; polling honours the forge's interval and slow_down answers (each
// slow_down adds to the interval as the forge says) and stops at expiry or cancel().

import type { DeviceCodePrompt } from '../common/session';
import { forgeKindFor, type DeviceFlow } from '../forges/registry';
import { validateForgeHost, type ForgeHost } from '../forges/forge-host';
import { SignInFailure } from './sign-in-failure';
import { OAuthEndpointError, type FetchLike, type TokenGrant } from '../forges/oauth-types';
import { sleep, systemTimers, type Timers } from './timers';

export interface DeviceAttempt {
  prompt: Omit<DeviceCodePrompt, 'attemptId'>;
  result: Promise<TokenGrant>;
  cancel(): void;
}

export async function startDeviceSignIn(options: { host: ForgeHost; fetch?: FetchLike; timers?: Timers; device?: DeviceFlow | null }): Promise<DeviceAttempt> {
  let host: ForgeHost;
  try {
    host = validateForgeHost(options.host);
  } catch (e) {
    throw new SignInFailure('invalid-host', e instanceof Error ? e.message : String(e));
  }
  const kind = forgeKindFor(host);
  const device = options.device === undefined ? kind.oauth.device : options.device;
  if (!device) throw new SignInFailure('invalid-host', `${kind.label} (${host.id}) offers no device sign-in here.`, 'Sign in with the browser instead.');
  const timers = options.timers ?? systemTimers;
  const deps = { fetch: options.fetch ?? fetch, now: timers.now };
  let code;
  try {
    code = await device.request(host, deps);
  } catch (e) {
    const oe = e instanceof OAuthEndpointError ? e : undefined;
    throw new SignInFailure(oe?.transient === false ? 'exchange-failed' : 'forge-unavailable', `The forge did not issue a device code (${oe?.message ?? String(e)}).`);
  }
  const abort = new AbortController();
  const result = (async (): Promise<TokenGrant> => {
    let interval = code.intervalSeconds;
    for (;;) {
      try {
        await sleep(timers, interval * 1000, abort.signal);
      } catch {
        throw new SignInFailure('cancelled', 'The sign-in was cancelled.');
      }
      if (timers.now() >= code.expiresAt) throw new SignInFailure('timed-out', 'The device code expired before it was approved.', 'Start the sign-in again.');
      try {
        return await device.poll(host, code.deviceCode, deps, abort.signal);
      } catch (e) {
        if (abort.signal.aborted) throw new SignInFailure('cancelled', 'The sign-in was cancelled.');
        if (!(e instanceof OAuthEndpointError)) throw new SignInFailure('forge-unavailable', String(e));
        switch (e.oauthError) {
          case 'authorization_pending':
            continue;
          case 'slow_down':
            // RFC 8628 §3.5: add 5 s, or take the forge's new interval when it sends one
            interval = e.interval !== undefined && e.interval > interval ? e.interval : interval + 5;
            continue;
          case 'expired_token':
            throw new SignInFailure('timed-out', 'The device code expired before it was approved.', 'Start the sign-in again.');
          case 'access_denied':
            throw new SignInFailure('access-denied', 'The sign-in was declined on the forge.');
          default:
            if (e.transient) continue; // a blip: the next poll will tell
            throw new SignInFailure('exchange-failed', `The forge refused the device sign-in (${e.oauthError}).`);
        }
      }
    }
  })();
  result.catch(() => undefined);
  return {
    prompt: { host: host.id, userCode: code.userCode, verificationUri: code.verificationUri, expiresAt: new Date(code.expiresAt).toISOString() },
    result,
    cancel: () => abort.abort(new SignInFailure('cancelled', 'The sign-in was cancelled.')),
  };
}
