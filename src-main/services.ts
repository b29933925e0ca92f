// The main-process services, composed without Electron: the desktop app wires them to
// IPC, and they run unchanged in plain Node (tests, the browser preview harness).
//
// Security model: tokens (forge sessions, Secrets read for inspection) stay inside the
// services below; handlers return only the plain, token-free types of src-main/common.
import type { AppInfo } from './common/app-info';
import type { BoardChange, BoardSnapshot } from './common/board';
import type { RequestValue } from './common/ipc-contract';
import type { SettingsPatch, SettingsView } from './common/settings';
import type { UpdateState } from './common/update';
import { openMemorySettingsStore, type Settings, type SettingsStore } from './settings/settings-store';
import { err, ok, type Result } from './common/result';
import { forgeHostsFromConfig } from './config/forge-hosts';
import type { ForgeHost } from './auth/forge-host';
import type { OpenExternal } from './auth/loopback-sign-in';
import { createPromotionStack, type PromotionStack } from './git/index';
import { promotionOrderFromBoard } from './git/promotion-order';
import { createMergedPromotions } from './git/merged-promotions';
import { rollbackOrderFromBoard } from './git/rollback-order';
import { createReleaseLogService, type SaveFile } from './release-log/release-log-service';
import { createDispatcher, type Dispatcher, type RequestHandlers } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createBoardService, type BoardService } from './kube/board-service';
import { kubeconfigLocation, loadKubeconfig, type LoadedKubeconfig } from './kube/kubeconfig';
import type { Logger } from './log/logger';
import { withDeadline } from './net/forge-fetch';
import { createPullRequestSync, type PullRequestSync } from './sync/pull-request-sync';
import { gitlabSessionFromVault } from './tokens/gitlab-session';
import { createPipelineLister, createTokenService, type TokenService } from './tokens/token-service';

/** What the board needs from the data plane: a snapshot now, changes afterwards. */
export interface BoardSource {
  snapshot(): BoardSnapshot | Promise<BoardSnapshot>;
  subscribe(listener: (change: BoardChange) => void): () => void;
  stop(): void | Promise<void>;
  setOpenPullRequests?: BoardService['setOpenPullRequests'];
}

export interface ServiceOptions {
  appInfo: AppInfo;
  logger: Logger;
  /** The cluster data plane. Default: the board service over the user's kubeconfig. */
  board?: BoardSource;
  /** Explicit kubeconfig file (like kubectl --kubeconfig); default KUBECONFIG / ~/.kube/config. */
  kubeconfigPath?: string;
  /** PATH for exec credential plugins (the login shell's when launched from a desktop); a
   *  function when it is still being looked up in the background. */
  credentialPluginPath?: string | (() => string);
  /** Forge hosts to sign in to. Default: from the environment (see config/forge-hosts.ts). */
  forgeHosts?: ForgeHost[];
  /**
   * How main talks to Git forges (OAuth, REST, archives, avatars). Default: Node's fetch. The
   * desktop app passes Electron's net.fetch (OS certificate store, system proxy and PAC).
   * Every call gets a deadline either way.
   */
  forgeFetch?: typeof fetch;
  /** Opens a URL in the system browser: shell.openExternal in the app. */
  openExternal?: OpenExternal;
  /** Non-secret settings (kubeconfig file, overrides, toggles, forge hosts). Default: in memory. */
  settings?: SettingsStore;
  /** Self-update (desktop app only). Default: reports that updates do not apply here. */
  updates?: UpdateControl;
  /** The token inspection service. Default: built over the same kubeconfig. */
  tokens?: TokenService;
  /**
   * Main's own file picker for a kubeconfig (Electron: the native open dialog). Resolves to the
   * chosen path, or null when the user cancelled. Absent: choosing a file is not offered.
   */
  chooseKubeconfigFile?: () => Promise<string | null>;
  /**
   * Asks the user, outside the renderer, whether tokens may be sent to a Git host (Electron: a
   * native message box naming the host). Absent: the renderer's Approve click is the consent.
   */
  confirmHostApproval?: (host: string, pipelines: string[]) => Promise<boolean>;
  /**
   * Asks the user, outside the renderer, whether the kubeconfig's credential plugins may run
   * (Electron: a native message box listing the command lines). Absent: the renderer's click is
   * the consent (preview harness).
   */
  confirmExecPlugins?: (commandLines: string[]) => Promise<boolean>;
  /**
   * Main's own save dialog for release-log exports (Electron: the native save dialog): writes
   * the content where the user chose and resolves to that path, or null when they cancelled.
   * Absent: exporting is not offered.
   */
  saveReleaseLog?: SaveFile;
  /** The clock for release-log ranges and times (default Date.now). */
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

export interface UpdateControl {
  getState(): UpdateState;
  checkNow(): Promise<unknown>;
  installNow(): unknown;
  setCheckAutomatically?(enabled: boolean): void;
}

const noUpdates: UpdateControl = {
  getState: () => ({ state: 'disabled', message: 'Updates apply to the installed desktop app.' }),
  checkNow: async () => undefined,
  installNow: () => undefined,
};

export interface MainServices {
  /** Before quitting: revoke the signed-in users' tokens where the forges allow it (best effort, bounded). */
  revokeSessions(budgetMs?: number): Promise<number>;
  dispatcher: Dispatcher;
  events: EventHub;
  promotion: PromotionStack;
  board: BoardSource;
  stop(): Promise<void>;
}

function fromResult<T>(result: Result<T>): Result<T> {
  return result;
}

function settingsView(settings: Settings, restartRequired: boolean, pendingExecPlugins: string[] = []): SettingsView {
  return {
    pendingExecPlugins,
    ...(settings.kubeconfigPath ? { kubeconfigPath: settings.kubeconfigPath } : {}),
    clusterContextOverrides: { ...settings.clusterContextOverrides },
    readGitopsClusterSecrets: settings.readGitopsClusterSecrets,
    checkUpdatesAutomatically: settings.updates.checkAutomatically,
    notifyPromotions: settings.notifications.promotions,
    forgeHosts: settings.forgeHosts.map((h) => ({ ...(h.id ? { id: h.id } : {}), type: h.type, webUrl: h.webUrl, clientId: h.clientId, hasClientSecret: Boolean(h.clientSecret) })),
    approvedForgeHosts: [...settings.approvedForgeHosts],
    readPromotionSecrets: settings.readPromotionSecrets ?? null,
    restartRequired,
  };
}

/** Turns a renderer patch into a settings patch; a host sent without a secret keeps the stored one. */
function settingsPatch(current: Settings, patch: SettingsPatch): Partial<Settings> {
  const next: Partial<Settings> = {};
  if (patch.kubeconfigPath === null) next.kubeconfigPath = undefined;
  if (patch.readPromotionSecrets !== undefined) next.readPromotionSecrets = patch.readPromotionSecrets;
  // Only removals: a host is added through tokens:approve-host, which main checks and confirms.
  if (patch.approvedForgeHosts) next.approvedForgeHosts = current.approvedForgeHosts.filter((h) => patch.approvedForgeHosts!.includes(h));
  if (patch.clusterContextOverrides) next.clusterContextOverrides = patch.clusterContextOverrides;
  if (patch.readGitopsClusterSecrets !== undefined) next.readGitopsClusterSecrets = patch.readGitopsClusterSecrets;
  if (patch.checkUpdatesAutomatically !== undefined) next.updates = { checkAutomatically: patch.checkUpdatesAutomatically };
  if (patch.notifyPromotions !== undefined) next.notifications = { promotions: patch.notifyPromotions };
  if (patch.forgeHosts)
    next.forgeHosts = patch.forgeHosts.map((h) => {
      const stored = current.forgeHosts.find((s) => s.webUrl === h.webUrl)?.clientSecret;
      const clientSecret = h.clientSecret ?? stored;
      return { ...(h.id ? { id: h.id } : {}), type: h.type, webUrl: h.webUrl, clientId: h.clientId, ...(clientSecret ? { clientSecret } : {}) };
    });
  return next;
}

export async function createMainServices(options: ServiceOptions): Promise<MainServices> {
  const { logger } = options;
  const env = options.env ?? process.env;
  const events = createEventHub();

  const settings = options.settings ?? openMemorySettingsStore();
  let restartRequired = false;
  const searchPath = () => (typeof options.credentialPluginPath === 'function' ? options.credentialPluginPath() : options.credentialPluginPath);
  // The kubeconfig file chosen in settings wins over the one given at start-up (tests, preview).
  const loadOptions = () => {
    const explicitPath = settings.get().kubeconfigPath ?? options.kubeconfigPath;
    return {
      ...(explicitPath ? { explicitPath } : {}),
      ...(searchPath() ? { searchPath: searchPath() } : {}),
      env,
      // A kubeconfig's credential plugins run as the user: only the command lines they approved.
      execApproved: (commandLine: string) => settings.get().approvedExecPlugins.includes(commandLine),
    };
  };
  /** The credential plugins the current kubeconfig would run without the user's approval. */
  const pendingExecPlugins = (): string[] => {
    const loaded = loadKubeconfig(loadOptions());
    return loaded.ok ? loaded.value.unapprovedExecPlugins : [];
  };
  const view = (): SettingsView => settingsView(settings.get(), restartRequired, pendingExecPlugins());
  const boardService: BoardService | undefined = options.board
    ? undefined
    : createBoardService({
        loadKubeconfig: () => loadKubeconfig(loadOptions()),
        expectedKubeconfigPaths: kubeconfigLocation(loadOptions()).paths,
        contextOverrides: settings.get().clusterContextOverrides,
        // Opt-in, read at each mapping decision: reach clusters without a context through
        // their GitopsCluster's kubeconfig Secret (RBAC on the management cluster decides).
        gitopsClusterSecrets: () => settings.get().readGitopsClusterSecrets,
        logger,
      });
  const board: BoardSource = options.board ?? boardService!;

  const hostConfig = options.forgeHosts ? { hosts: options.forgeHosts, problems: [] } : forgeHostsFromConfig({ env, saved: settings.get().forgeHosts });
  for (const problem of hostConfig.problems) logger.warn('config', problem);
  const forgeFetch = withDeadline(options.forgeFetch ?? fetch);
  const promotion = createPromotionStack({
    hosts: hostConfig.hosts,
    fetch: forgeFetch,
    openExternal: options.openExternal ?? (() => Promise.reject(new Error('No system browser is available to this process.'))),
    logger,
  });
  const stopSessionEvents = promotion.vault.onChange((sessions) => {
    events.emit('auth:session-changed', sessions);
    void pullSync.refresh();
  });

  const pullSync: PullRequestSync = createPullRequestSync({
    snapshot: () => {
      const s = board.snapshot();
      return s instanceof Promise ? { pipelines: [], clusters: [], generatedAt: '' } : s;
    },
    poll: (repoUrl) => promotion.pulls.poll(repoUrl),
    invalidate: (repoUrl) => promotion.pulls.invalidate(repoUrl),
    publish: (prs) => board.setOpenPullRequests?.(prs),
    logger,
  });
  const stopBoardEvents = board.subscribe((change) => {
    events.emit('board:changed', change);
    pullSync.onBoardChange(change);
  });

  // A token report lists the Pipelines first, then reads Secrets: both use the kubeconfig
  // loaded at the start of that report rather than reading the files again.
  let reportKubeconfig: LoadedKubeconfig | undefined;
  const loadForReport = (): LoadedKubeconfig => {
    const loaded = loadKubeconfig(loadOptions());
    if (!loaded.ok) throw new Error(loaded.error.message);
    return (reportKubeconfig = loaded.value);
  };
  // Tokens go only to Git hosts the user configured (sign-in hosts) or approved in settings.
  const configuredHosts = new Set(hostConfig.hosts.map((h) => new URL(h.webUrl).host.toLowerCase()));
  const mayContactHost = (host: string): boolean => configuredHosts.has(host) || settings.get().approvedForgeHosts.includes(host);
  const tokens =
    options.tokens ??
    createTokenService({
      mayContactHost,
      fetch: forgeFetch,
      readSecrets: () => settings.get().readPromotionSecrets === true,
      pipelines: () => {
        const loaded = loadForReport();
        const contexts = loaded.currentContext ? [loaded.currentContext] : [];
        return createPipelineLister({ contexts, kubeconfigFor: (c) => loaded.forContext(c) })();
      },
      kubeconfigFor: (context) => (reportKubeconfig ?? loadForReport()).forContext(context),
      gitlabSession: gitlabSessionFromVault(hostConfig.hosts, promotion.vault),
      logger,
    });
  const stopTokenEvents = tokens.onChanged((report) => events.emit('tokens:changed', report));

  const updates = options.updates ?? noUpdates;

  const boardNow = async (): Promise<BoardSnapshot> => board.snapshot();
  const releaseLog = createReleaseLogService({
    board: boardNow,
    merged: createMergedPromotions({ hosts: hostConfig.hosts, vault: promotion.vault, fetch: forgeFetch, ...(options.now ? { now: options.now } : {}) }),
    logger,
    ...(options.now ? { now: options.now } : {}),
  });

  const tokenResult = async <C extends 'tokens:list' | 'tokens:recheck' | 'tokens:refresh' | 'tokens:approve-host'>(
    work: () => Promise<RequestValue<C>>,
  ): Promise<Result<RequestValue<C>>> => {
    try {
      return ok(await work());
    } catch (error) {
      return err('tokens-unavailable', `Token status could not be read: ${(error as Error).message}`, 'Check that your kubeconfig works (for example with kubectl get pipelines -A).');
    }
  };

  const handlers: RequestHandlers = {
    'app:get-info': () => ok(options.appInfo),
    'board:subscribe': async () => ok(await board.snapshot()),
    'auth:list-hosts': () => ok(promotion.auth.hosts()),
    'auth:list-sessions': () => ok(promotion.auth.sessions()),
    'auth:sign-in': async ({ host }) => fromResult(await promotion.auth.signInWithBrowser(host)),
    'auth:start-device-sign-in': async ({ host }) => {
      const started = await promotion.auth.startDeviceSignIn(host);
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
    'auth:cancel-sign-in': ({ host }) => ok(promotion.auth.cancelSignInsFor(host)),
    'auth:sign-out': async ({ host }) => {
      await promotion.auth.signOut(host);
      return ok(null);
    },
    'promotion:plan': async (request) => {
      const order = promotionOrderFromBoard(await board.snapshot(), request);
      if (!order.ok) {
        logger.warn('promotion', `refused a plan for ${request.pipelineId.slice(0, 200)} → ${request.targetEnv.slice(0, 100)}: ${order.error.message}`);
        return order;
      }
      return promotion.promotion.plan(order.value, (p) => events.emit('promotion:progressed', p));
    },
    'promotion:apply': async ({ planId }) => {
      const result = await promotion.promotion.apply(planId, (p) => events.emit('promotion:progressed', p));
      if (result.ok) {
        // The new or updated PR should show on the board without waiting for the next poll.
        const repoUrl = result.value.prUrl.replace(/\/pull\/\d+$|\/-\/merge_requests\/\d+$/, '');
        promotion.pulls.invalidate(repoUrl);
        void pullSync.refresh();
      }
      return result;
    },
    'promotion:plan-rollback': async (request) => {
      const order = rollbackOrderFromBoard(await boardNow(), request);
      if (!order.ok) {
        logger.warn('promotion', `refused a rollback plan for ${request.pipelineId.slice(0, 200)} in ${request.env.slice(0, 100)}: ${order.error.message}`);
        return order;
      }
      return promotion.promotion.plan(order.value, (p) => events.emit('promotion:progressed', p));
    },
    'releases:list': (query) => releaseLog.list(query),
    'releases:export': ({ format, ...query }) => releaseLog.export(query, format, options.saveReleaseLog),
    'promotion:discard-plan': ({ planId }) => {
      promotion.promotion.discard(planId);
      return ok(null);
    },
    'tokens:list': () => tokenResult<'tokens:list'>(() => tokens.latest()),
    'tokens:recheck': ({ key }) => tokenResult<'tokens:recheck'>(() => tokens.recheck(key)),
    'tokens:refresh': () => tokenResult<'tokens:refresh'>(() => tokens.report({ force: true })),
    'tokens:approve-host': async ({ host }) => {
      // Only a host main itself reported as unapproved: the renderer cannot add arbitrary hosts.
      const report = tokens.current() ?? (await tokens.latest());
      const waiting = report.entries.filter((e) => e.unapprovedHost === host);
      if (waiting.length === 0) return err('not-approvable', `${host} is not a Git host waiting for approval.`, 'Refresh the Tokens view and try again.');
      const pipelines = [...new Set(waiting.flatMap((e) => e.uses.map((u) => u.pipelineId)))];
      if (options.confirmHostApproval && !(await options.confirmHostApproval(host, pipelines))) return err('approval-declined', `${host} was not approved; its tokens stay unchecked.`);
      await settings.update({ approvedForgeHosts: [...new Set([...settings.get().approvedForgeHosts, host])] });
      logger.info('settings', `Git host ${host} approved for token checks (${pipelines.length} pipelines)`);
      events.emit('settings:changed', view());
      return tokenResult<'tokens:approve-host'>(() => tokens.report({ force: true }));
    },
    'update:get-state': () => ok(updates.getState()),
    'update:check': async () => {
      await updates.checkNow();
      return ok(updates.getState());
    },
    'update:install': () => {
      updates.installNow();
      return ok(null);
    },
    'settings:get': () => ok(view()),
    'settings:approve-exec-plugins': async () => {
      const pending = pendingExecPlugins();
      if (pending.length === 0) return ok(view());
      if (options.confirmExecPlugins && !(await options.confirmExecPlugins(pending))) return err('approval-declined', 'The credential plugins were not approved; the contexts that need them stay disconnected.');
      await settings.update({ approvedExecPlugins: [...new Set([...settings.get().approvedExecPlugins, ...pending])] });
      logger.info('settings', `${pending.length} credential plugin command line(s) approved`);
      boardService?.reload();
      const next = view();
      events.emit('settings:changed', next);
      return ok(next);
    },
    'settings:choose-kubeconfig': async () => {
      if (!options.chooseKubeconfigFile) return err('not-available', 'Choosing a kubeconfig file is not available here.', 'Set KUBECONFIG before starting, as with kubectl.');
      const chosen = await options.chooseKubeconfigFile();
      if (chosen === null || chosen === settings.get().kubeconfigPath) return ok(view());
      await settings.update({ kubeconfigPath: chosen });
      boardService?.reload();
      const next = view();
      events.emit('settings:changed', next);
      logger.info('settings', 'kubeconfig file chosen in the open dialog');
      return ok(next);
    },
    'settings:update': async (patch) => {
      const before = settings.get();
      const saved = await settings.update(settingsPatch(before, patch));
      if (saved.kubeconfigPath !== before.kubeconfigPath) boardService?.reload();
      if (patch.clusterContextOverrides) boardService?.setContextOverrides(saved.clusterContextOverrides);
      if (saved.readGitopsClusterSecrets !== before.readGitopsClusterSecrets) boardService?.reload();
      if (saved.readPromotionSecrets !== before.readPromotionSecrets) tokens.clearCache();
      if (patch.checkUpdatesAutomatically !== undefined) updates.setCheckAutomatically?.(patch.checkUpdatesAutomatically);
      // Forge hosts are fixed when the promotion stack is built: they apply after a restart.
      if (patch.forgeHosts) restartRequired = true;
      const next = view();
      events.emit('settings:changed', next);
      logger.info('settings', `updated: ${Object.keys(patch).join(', ')}`);
      return ok(next);
    },
  };
  const dispatcher = createDispatcher(handlers, { logger });
  void pullSync.refresh();

  return {
    revokeSessions: (budgetMs = 2000) => promotion.auth.signOutEverywhere(budgetMs),
    dispatcher,
    events,
    promotion,
    board,
    async stop() {
      pullSync.stop();
      stopSessionEvents();
      stopTokenEvents();
      stopBoardEvents();
      promotion.shutdown();
      await board.stop();
    },
  };
}
