// Sign-in state as the renderer sees it: the configured forge hosts, who is signed in to
// which (from main; never a token), and the one sign-in attempt per host in progress.
import type { StateCreator } from 'zustand';
import type { DeviceCodePrompt, ForgeHostSummary, SessionInfo } from '../../src-main/common/session';
import type { AppError } from '../../src-main/common/result';
import { bridge, followState } from '../bridge/release-board';

export type SignInAttempt =
  | { phase: 'browser' }
  /** the browser attempt is being cancelled for a device code */
  | { phase: 'switching' }
  | { phase: 'device'; prompt: DeviceCodePrompt }
  | { phase: 'failed'; error: { message: string; hint?: string; code: string } };

export interface SessionSlice {
  hosts: ForgeHostSummary[] | null;
  hostsError: AppError | null;
  sessions: SessionInfo[];
  signIns: Record<string, SignInAttempt | undefined>;
  subscribeSessions(): () => void;
  /** Browser sign-in; resolves with the session, or null when it did not happen. */
  signIn(host: string): Promise<SessionInfo | null>;
  startDeviceSignIn(host: string): Promise<void>;
  /** Cancels a waiting browser sign-in and starts a device-code one in its place. */
  switchToDeviceSignIn(host: string): Promise<void>;
  cancelSignIn(host: string): Promise<void>;
  signOut(host: string): Promise<void>;
  clearSignInError(host: string): void;
}

function errorOf(error: AppError | { code: string; message: string; hint?: string }) {
  return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

export const createSessionSlice: StateCreator<SessionSlice, [], [], SessionSlice> = (set, get) => {
  const setAttempt = (host: string, attempt: SignInAttempt | undefined) => set({ signIns: { ...get().signIns, [host]: attempt } });
  return {
    hosts: null,
    hostsError: null,
    sessions: [],
    signIns: {},
    subscribeSessions() {
      const offSessions = followState(
        'auth:session-changed',
        () => bridge.request('auth:list-sessions', undefined),
        (sessions) => set({ sessions }),
      );
      const offDevice = bridge.on('auth:device-sign-in-finished', (done) => {
        const current = get().signIns[done.host];
        if (current?.phase !== 'device' || current.prompt.attemptId !== done.attemptId) return;
        if (done.ok) setAttempt(done.host, undefined);
        else if (done.error?.code === 'cancelled') setAttempt(done.host, undefined);
        else setAttempt(done.host, { phase: 'failed', error: errorOf(done.error ?? { code: 'failed', message: 'The sign-in did not complete.' }) });
      });
      void bridge.request('auth:list-hosts', undefined).then((hosts) => set({ hosts: hosts.ok ? hosts.value : [], hostsError: hosts.ok ? null : hosts.error }));
      return () => {
        offSessions();
        offDevice();
      };
    },
    async signIn(host) {
      setAttempt(host, { phase: 'browser' });
      const result = await bridge.request('auth:sign-in', { host });
      if (result.ok) {
        setAttempt(host, undefined);
        // The event usually arrives first; take the answer too so the UI never waits on it.
        const others = get().sessions.filter((s) => s.host !== host);
        set({ sessions: [...others, result.value] });
        return result.value;
      }
      const now = get().signIns[host]?.phase;
      // a switch to a device code took over this attempt: leave its state alone
      if (now === 'switching' || now === 'device') return null;
      setAttempt(host, result.error.code === 'cancelled' ? undefined : { phase: 'failed', error: errorOf(result.error) });
      return null;
    },
    async startDeviceSignIn(host) {
      const result = await bridge.request('auth:start-device-sign-in', { host });
      setAttempt(host, result.ok ? { phase: 'device', prompt: result.value } : { phase: 'failed', error: errorOf(result.error) });
    },
    async switchToDeviceSignIn(host) {
      setAttempt(host, { phase: 'switching' });
      await bridge.request('auth:cancel-sign-in', { host });
      await get().startDeviceSignIn(host);
    },
    async cancelSignIn(host) {
      setAttempt(host, undefined);
      await bridge.request('auth:cancel-sign-in', { host });
    },
    async signOut(host) {
      const result = await bridge.request('auth:sign-out', { host });
      if (result.ok) set({ sessions: get().sessions.filter((s) => s.host !== host) });
    },
    clearSignInError(host) {
      if (get().signIns[host]?.phase === 'failed') setAttempt(host, undefined);
    },
  };
};
