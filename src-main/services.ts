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
import { createDispatcher, type Dispatcher, type RequestHandlers } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createBoardService, type BoardService } from './kube/board-service';
import { kubeconfigLocation, loadKubeconfig, type LoadedKubeconfig } from './kube/kubeconfig';
import type { Logger } from './log/logger';
import { createPullRequestSync, type PullRequestSync } from './sync/pull-request-sync';
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
  /** fetch for forge traffic (OAuth, REST, avatars). Default: Node's; the app passes net.fetch. */
  forgeFetch?: typeof fetch;
  /** Forge hosts to sign in to. Default: from the environment (see config/forge-hosts.ts). */
  forgeHosts?: ForgeHost[];
  /** Opens a URL in the system browser: shell.openExternal in the app. */
  openExternal?: OpenExternal;
  /** Non-secret settings (kubeconfig file, overrides, toggles, forge hosts). Default: in memory. */
  settings?: SettingsStore;
  /** Self-update (desktop app only). Default: reports that updates do not apply here. */
  updates?: UpdateControl;
  /** The token inspection service. Default: built over the same kubeconfig. */
  tokens?: TokenService;
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
  dispatcher: Dispatcher;
  events: EventHub;
  promotion: PromotionStack;
  board: BoardSource;
  stop(): Promise<void>;
}

function fromResult<T>(result: Result<T>): Result<T> {
  return result;
}

function settingsView(settings: Settings, restartRequired: boolean): SettingsView {
  return {
    ...(settings.kubeconfigPath ? { kubeconfigPath: settings.kubeconfigPath } : {}),
    clusterContextOverrides: { ...settings.clusterContextOverrides },
    readGitopsClusterSecrets: settings.readGitopsClusterSecrets,
    checkUpdatesAutomatically: settings.updates.checkAutomatically,
    notifyPromotions: settings.notifications.promotions,
    forgeHosts: settings.forgeHosts.map((h) => ({ ...(h.id ? { id: h.id } : {}), type: h.type, webUrl: h.webUrl, clientId: h.clientId, hasClientSecret: Boolean(h.clientSecret) })),
    restartRequired,
  };
}

/** Turns a renderer patch into a settings patch; a host sent without a secret keeps the stored one. */
function settingsPatch(current: Settings, patch: SettingsPatch): Partial<Settings> {
  const next: Partial<Settings> = {};
  if (patch.kubeconfigPath !== undefined) next.kubeconfigPath = patch.kubeconfigPath ?? undefined;
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
    };
  };
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
  const promotion = createPromotionStack({
    hosts: hostConfig.hosts,
    openExternal: options.openExternal ?? (() => Promise.reject(new Error('No system browser is available to this process.'))),
    logger,
    ...(options.forgeFetch ? { fetch: options.forgeFetch } : {}),
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
  const tokens =
    options.tokens ??
    createTokenService({
      pipelines: () => {
        const loaded = loadForReport();
        const contexts = loaded.currentContext ? [loaded.currentContext] : [];
        return createPipelineLister({ contexts, kubeconfigFor: (c) => loaded.forContext(c) })();
      },
      kubeconfigFor: (context) => (reportKubeconfig ?? loadForReport()).forContext(context),
      logger,
      ...(options.forgeFetch ? { fetch: options.forgeFetch } : {}),
    });
  const stopTokenEvents = tokens.onChanged((report) => events.emit('tokens:changed', report));

  const updates = options.updates ?? noUpdates;

  const tokenResult = async <C extends 'tokens:list' | 'tokens:recheck' | 'tokens:refresh'>(
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
    'promotion:plan': (request) => promotion.promotion.plan(request, (p) => events.emit('promotion:progressed', p)),
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
    'promotion:discard-plan': ({ planId }) => {
      promotion.promotion.discard(planId);
      return ok(null);
    },
    'tokens:list': () => tokenResult<'tokens:list'>(() => tokens.latest()),
    'tokens:recheck': ({ key }) => tokenResult<'tokens:recheck'>(() => tokens.recheck(key)),
    'tokens:refresh': () => tokenResult<'tokens:refresh'>(() => tokens.report({ force: true })),
    'update:get-state': () => ok(updates.getState()),
    'update:check': async () => {
      await updates.checkNow();
      return ok(updates.getState());
    },
    'update:install': () => {
      updates.installNow();
      return ok(null);
    },
    'settings:get': () => ok(settingsView(settings.get(), restartRequired)),
    'settings:update': async (patch) => {
      const before = settings.get();
      const saved = await settings.update(settingsPatch(before, patch));
      if (saved.kubeconfigPath !== before.kubeconfigPath) boardService?.reload();
      if (patch.clusterContextOverrides) boardService?.setContextOverrides(saved.clusterContextOverrides);
      if (saved.readGitopsClusterSecrets !== before.readGitopsClusterSecrets) boardService?.reload();
      if (patch.checkUpdatesAutomatically !== undefined) updates.setCheckAutomatically?.(patch.checkUpdatesAutomatically);
      // Forge hosts are fixed when the promotion stack is built: they apply after a restart.
      if (patch.forgeHosts) restartRequired = true;
      const view = settingsView(saved, restartRequired);
      events.emit('settings:changed', view);
      logger.info('settings', `updated: ${Object.keys(patch).join(', ')}`);
      return ok(view);
    },
  };
  const dispatcher = createDispatcher(handlers, { logger });
  void pullSync.refresh();

  return {
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
