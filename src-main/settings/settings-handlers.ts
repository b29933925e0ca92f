// The settings:* request handlers and the two conversions they rest on: the view the renderer
// sees (never a client secret) and the patch it may send (a host sent without a secret keeps
// the stored one). What a change sets in motion elsewhere (reloading the board, clearing the
// token cache) is handed in as callbacks, so settings depends on no other feature.
import { err, ok } from '../common/result';
import type { EnvironmentForgeHost, SettingsPatch, SettingsView } from '../common/settings';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { Logger } from '../log/logger';
import type { Settings, SettingsStore } from './settings-store';

export type SettingsHandlers = Pick<RequestHandlers, 'settings:get' | 'settings:update' | 'settings:choose-kubeconfig' | 'settings:approve-exec-plugins'>;

export function settingsView(settings: Settings, restartRequired: boolean, pendingExecPlugins: string[] = [], fromEnvironment: EnvironmentForgeHost[] = []): SettingsView {
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
    theme: settings.appearance.theme,
    density: settings.appearance.density,
    environmentForgeHosts: fromEnvironment,
  };
}

/** Turns a renderer patch into a settings patch; a host sent without a secret keeps the stored one. */
export function settingsPatch(current: Settings, patch: SettingsPatch): Partial<Settings> {
  const next: Partial<Settings> = {};
  if (patch.kubeconfigPath === null) next.kubeconfigPath = undefined;
  if (patch.readPromotionSecrets !== undefined) next.readPromotionSecrets = patch.readPromotionSecrets;
  // Only removals: a host is added through tokens:approve-host, which main checks and confirms.
  if (patch.approvedForgeHosts) next.approvedForgeHosts = current.approvedForgeHosts.filter((h) => patch.approvedForgeHosts!.includes(h));
  if (patch.clusterContextOverrides) next.clusterContextOverrides = patch.clusterContextOverrides;
  if (patch.readGitopsClusterSecrets !== undefined) next.readGitopsClusterSecrets = patch.readGitopsClusterSecrets;
  if (patch.checkUpdatesAutomatically !== undefined) next.updates = { checkAutomatically: patch.checkUpdatesAutomatically };
  if (patch.notifyPromotions !== undefined) next.notifications = { promotions: patch.notifyPromotions };
  if (patch.theme !== undefined || patch.density !== undefined)
    next.appearance = { ...current.appearance, ...(patch.theme ? { theme: patch.theme } : {}), ...(patch.density ? { density: patch.density } : {}) };
  if (patch.forgeHosts)
    next.forgeHosts = patch.forgeHosts.map((h) => {
      const stored = current.forgeHosts.find((s) => s.webUrl === h.webUrl)?.clientSecret;
      const clientSecret = h.clientSecret ?? stored;
      return { ...(h.id ? { id: h.id } : {}), type: h.type, webUrl: h.webUrl, clientId: h.clientId, ...(clientSecret ? { clientSecret } : {}) };
    });
  return next;
}

export interface SettingsHandlerDeps {
  settings: SettingsStore;
  /** The view as it stands now (pending credential plugins included). */
  view(): SettingsView;
  pendingExecPlugins(): string[];
  /** Tells the renderer (settings:changed). */
  publish(view: SettingsView): void;
  /** Forge hosts are fixed when the promotion stack is built: they apply after a restart. */
  requireRestart(): void;
  reloadBoard(): void;
  setContextOverrides(overrides: Settings['clusterContextOverrides']): void;
  clearTokenCache(): void;
  setCheckUpdatesAutomatically(enabled: boolean): void;
  chooseKubeconfigFile?: () => Promise<string | null>;
  confirmExecPlugins?: (commandLines: string[]) => Promise<boolean>;
  logger: Logger;
}

export function settingsHandlers(deps: SettingsHandlerDeps): SettingsHandlers {
  const { settings, logger } = deps;
  const publishNow = (): SettingsView => {
    const next = deps.view();
    deps.publish(next);
    return next;
  };
  return {
    'settings:get': () => ok(deps.view()),
    'settings:approve-exec-plugins': async () => {
      const pending = deps.pendingExecPlugins();
      if (pending.length === 0) return ok(deps.view());
      if (deps.confirmExecPlugins && !(await deps.confirmExecPlugins(pending)))
        return err('approval-declined', 'The credential plugins were not approved; the contexts that need them stay disconnected.');
      await settings.update({ approvedExecPlugins: [...new Set([...settings.get().approvedExecPlugins, ...pending])] });
      logger.info('settings', `${pending.length} credential plugin command line(s) approved`);
      deps.reloadBoard();
      return ok(publishNow());
    },
    'settings:choose-kubeconfig': async () => {
      if (!deps.chooseKubeconfigFile) return err('not-available', 'Choosing a kubeconfig file is not available here.', 'Set KUBECONFIG before starting, as with kubectl.');
      const chosen = await deps.chooseKubeconfigFile();
      if (chosen === null || chosen === settings.get().kubeconfigPath) return ok(deps.view());
      await settings.update({ kubeconfigPath: chosen });
      deps.reloadBoard();
      const next = publishNow();
      logger.info('settings', 'kubeconfig file chosen in the open dialog');
      return ok(next);
    },
    'settings:update': async (patch) => {
      const before = settings.get();
      const saved = await settings.update(settingsPatch(before, patch));
      if (saved.kubeconfigPath !== before.kubeconfigPath) deps.reloadBoard();
      if (patch.clusterContextOverrides) deps.setContextOverrides(saved.clusterContextOverrides);
      if (saved.readGitopsClusterSecrets !== before.readGitopsClusterSecrets) deps.reloadBoard();
      if (saved.readPromotionSecrets !== before.readPromotionSecrets) deps.clearTokenCache();
      if (patch.checkUpdatesAutomatically !== undefined) deps.setCheckUpdatesAutomatically(patch.checkUpdatesAutomatically);
      if (patch.forgeHosts) deps.requireRestart();
      const next = publishNow();
      logger.info('settings', `updated: ${Object.keys(patch).join(', ')}`);
      return ok(next);
    },
  };
}
