// The main-process services, composed without Electron: the desktop app wires them to
// IPC, and they run unchanged in plain Node (tests, the browser preview harness).
//
// Security model: tokens (forge sessions, Secrets read for inspection) stay inside the
// services below; handlers return only the plain, token-free types of src-main/common.
import type { AppInfo } from './common/app-info';
import type { BoardChange, BoardSnapshot } from './common/board';
import type { SettingsView } from './common/settings';
import { openMemorySettingsStore, type SettingsStore } from './settings/settings-store';
import { settingsHandlers, settingsView } from './settings/settings-handlers';
import { ok } from './common/result';
import { environmentForgeHosts, forgeHostsFromConfig } from './config/forge-hosts';
import type { ForgeHost } from './forges/forge-host';
import type { OpenExternal } from './auth/loopback-sign-in';
import { createPromotionStack, type PromotionStack } from './promotion-stack';
import { promotionHandlers } from './git/promotion-handlers';
import { authHandlers } from './auth/auth-handlers';
import { capabilityHandlers } from './forges/capability-handlers';
import { tokenHandlers } from './tokens/token-handlers';
import { noUpdates, updateHandlers, type UpdateControl } from './update/update-handlers';
import { createMergedPromotions } from './git/merged-promotions';
import { createReleaseLogService, type SaveFile } from './release-log/release-log-service';
import { createDispatcher, type Dispatcher, type RequestHandlers } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createBoardService, type BoardService } from './kube/board-service';
import { kubeconfigLocation, loadKubeconfig, type LoadedKubeconfig } from './kube/kubeconfig';
import type { Logger } from './log/logger';
import { withDeadline } from './net/forge-fetch';
import { createPullRequestSync, type PullRequestSync } from './sync/pull-request-sync';
import { gitlabSessionFromVault } from './forges/gitlab/session';
import { createRolloutTracker } from './sync/rollout-tracker';
import { createDecoratedBoard } from './sync/decorated-board';
import { markUnknownPullRequests } from './pipelines/unknown-pull-requests';
import { systemTimers, type Timers } from './auth/timers';
import { createPipelineLister, createTokenService, type TokenService } from './tokens/token-service';

export type { UpdateControl };

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
  /** Time for main's own schedules (the rollout timeline's bound). Default: the system's. */
  timers?: Timers;
}

export interface MainServices {
  /** Before quitting: revoke the signed-in users' tokens where the forges allow it (best effort, bounded). */
  revokeSessions(budgetMs?: number): Promise<number>;
  dispatcher: Dispatcher;
  events: EventHub;
  promotion: PromotionStack;
  board: BoardSource;
  stop(): Promise<void>;
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
  // Read once, like the hosts themselves: the renderer sees them but never the environment.
  const hostsFromEnvironment = environmentForgeHosts(env);
  const view = (): SettingsView => settingsView(settings.get(), restartRequired, pendingExecPlugins(), hostsFromEnvironment);
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
    mergedAt: (repoUrl, number) => promotion.pulls.mergedAt(repoUrl, number),
    onMerged: (merge) => {
      logger.info('rollout', `${merge.url} merged at ${merge.mergedAt}: following ${merge.pipelineNamespace}/${merge.pipelineName} into ${merge.targetEnv}`);
      rollouts.recordMerge(merge);
    },
    onUnreadable: (repos) => {
      const before = [...unreadableRepos].sort().join();
      unreadableRepos = repos;
      if ([...repos].sort().join() !== before) shownBoard.refresh();
    },
    logger,
  });
  // What the renderer sees: the data plane's rows with the PR state main could not read and
  // the rollout timelines laid over them, in the same snapshot and board:changed events.
  let unreadableRepos: ReadonlySet<string> = new Set();
  const rollouts = createRolloutTracker({ timers: options.timers ?? systemTimers, changed: (which) => shownBoard.refresh(which) });
  const shownBoard = createDecoratedBoard(board, [(row) => markUnknownPullRequests(row, unreadableRepos), (row) => rollouts.decorate(row)]);
  const stopBoardEvents = shownBoard.subscribe((change) => {
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

  const releaseLog = createReleaseLogService({
    board: async () => board.snapshot(),
    merged: createMergedPromotions({ hosts: hostConfig.hosts, vault: promotion.vault, fetch: forgeFetch, ...(options.now ? { now: options.now } : {}) }),
    logger,
    ...(options.now ? { now: options.now } : {}),
  });

  const handlers: RequestHandlers = {
    'app:get-info': () => ok(options.appInfo),
    'board:subscribe': async () => ok(await shownBoard.snapshot()),
    ...authHandlers(promotion.auth, events),
    ...promotionHandlers({
      snapshot: () => board.snapshot(),
      promotion: promotion.promotion,
      pullRequestOpened: (repoUrl) => {
        promotion.pulls.invalidate(repoUrl);
        void pullSync.refresh();
      },
      events,
      logger,
    }),
    ...tokenHandlers({
      tokens,
      approvedHosts: () => settings.get().approvedForgeHosts,
      saveApprovedHosts: async (hosts) => {
        await settings.update({ approvedForgeHosts: hosts });
        events.emit('settings:changed', view());
      },
      ...(options.confirmHostApproval ? { confirmHostApproval: options.confirmHostApproval } : {}),
      logger,
    }),
    ...updateHandlers(updates),
    ...settingsHandlers({
      settings,
      view,
      pendingExecPlugins,
      publish: (next) => events.emit('settings:changed', next),
      requireRestart: () => {
        restartRequired = true;
      },
      reloadBoard: () => boardService?.reload(),
      setContextOverrides: (overrides) => boardService?.setContextOverrides(overrides),
      clearTokenCache: () => tokens.clearCache(),
      setCheckUpdatesAutomatically: (enabled) => updates.setCheckAutomatically?.(enabled),
      ...(options.chooseKubeconfigFile ? { chooseKubeconfigFile: options.chooseKubeconfigFile } : {}),
      ...(options.confirmExecPlugins ? { confirmExecPlugins: options.confirmExecPlugins } : {}),
      logger,
    }),
    ...capabilityHandlers(),
    'releases:list': (query) => releaseLog.list(query),
    'releases:export': ({ format, ...query }) => releaseLog.export(query, format, options.saveReleaseLog),
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
      rollouts.stop();
      shownBoard.stop();
      promotion.shutdown();
      await board.stop();
    },
  };
}
