// Token report and self-update state from main: loaded on demand (tokens) or at start
// (updates), then kept current by main's events.
import type { StateCreator } from 'zustand';
import type { TokenReport } from '../../src-main/common/tokens';
import type { UpdateState } from '../../src-main/common/update';
import type { AppError, Result } from '../../src-main/common/result';
import { bridge, followState } from '../bridge/release-board';

export interface ServicesSlice {
  tokenReport: TokenReport | undefined;
  tokensLoading: boolean;
  tokensError: AppError | null;
  recheckingKey: string | undefined;
  /** The token the Tokens view shows (a badge click picks it). */
  selectedTokenKey: string | undefined;
  selectToken(key: string | undefined): void;
  update: UpdateState | null;
  /** A notification asked for a cell: the board consumes it once the row exists. */
  focusRequest: { pipelineId: string; environment: string; token: number } | null;
  subscribeServices(): () => void;
  loadTokens(): Promise<void>;
  recheckToken(key: string): Promise<void>;
  /** The user's answer to "read promotion Secrets?": saved in settings, then the report is rebuilt. */
  chooseSecretReading(read: boolean): Promise<void>;
  /** Approves a Git host main reported as unapproved (main checks it and may ask again itself). */
  approveHost(host: string): Promise<void>;
  approvingHost: string | undefined;
  installUpdate(): Promise<void>;
  /** Check for updates again (after a failed check). */
  checkUpdate(): Promise<void>;
  clearFocusRequest(): void;
}

let focusTokens = 0;

/**
 * Whether a token report may replace the one shown. Main pushes reports (tokens:changed) and
 * answers requests with them; an answer can arrive after a push built later, and must not put
 * the older report back. Main stamps each report with its own clock.
 */
function isNotOlder(next: TokenReport, shown: TokenReport | undefined): boolean {
  return shown === undefined || next.generatedAt >= shown.generatedAt;
}

/** The state after a request that answers with a token report: the report (unless a newer one is shown), or the error, plus the busy flags cleared. */
function reportOutcome(result: Result<TokenReport>, idle: Partial<ServicesSlice>, shown: TokenReport | undefined): Partial<ServicesSlice> {
  if (!result.ok) return { tokensError: result.error, ...idle };
  return isNotOlder(result.value, shown) ? { tokenReport: result.value, tokensError: null, ...idle } : { tokensError: null, ...idle };
}

export const createServicesSlice: StateCreator<ServicesSlice, [], [], ServicesSlice> = (set, get) => ({
  tokenReport: undefined,
  tokensLoading: false,
  tokensError: null,
  recheckingKey: undefined,
  selectedTokenKey: undefined,
  selectToken(key) {
    set({ selectedTokenKey: key });
  },
  update: null,
  focusRequest: null,
  subscribeServices() {
    const offs = [
      bridge.on('tokens:changed', (report) => {
        if (isNotOlder(report, get().tokenReport)) set({ tokenReport: report, tokensError: null });
      }),
      followState(
        'update:state-changed',
        () => bridge.request('update:get-state', undefined),
        (update) => set({ update }),
      ),
      bridge.on('board:focus-requested', (req) => set({ focusRequest: { ...req, token: ++focusTokens } })),
    ];
    void get().loadTokens();
    return () => {
      for (const off of offs) off();
    };
  },
  async loadTokens() {
    set({ tokensLoading: true });
    set(reportOutcome(await bridge.request('tokens:list', undefined), { tokensLoading: false }, get().tokenReport));
  },
  async recheckToken(key) {
    set({ recheckingKey: key });
    set(reportOutcome(await bridge.request('tokens:recheck', { key }), { recheckingKey: undefined }, get().tokenReport));
  },
  approvingHost: undefined,
  async chooseSecretReading(read) {
    set({ tokensLoading: true });
    const saved = await bridge.request('settings:update', { readPromotionSecrets: read });
    if (!saved.ok) {
      set({ tokensError: saved.error, tokensLoading: false });
      return;
    }
    set(reportOutcome(await bridge.request('tokens:refresh', undefined), { tokensLoading: false }, get().tokenReport));
  },
  async approveHost(host) {
    set({ approvingHost: host });
    set(reportOutcome(await bridge.request('tokens:approve-host', { host }), { approvingHost: undefined }, get().tokenReport));
  },
  async installUpdate() {
    await bridge.request('update:install', undefined);
  },
  async checkUpdate() {
    const result = await bridge.request('update:check', undefined);
    if (result.ok) set({ update: result.value });
  },
  clearFocusRequest() {
    set({ focusRequest: null });
  },
});
