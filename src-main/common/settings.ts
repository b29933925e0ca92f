// The settings the renderer may see and change. Non-secret by construction: forge hosts are
// shown without their client secret (only whether one is set). Pure types.

export interface ForgeHostSetting {
  id?: string;
  type: 'github' | 'gitlab';
  webUrl: string;
  clientId: string;
  /** whether a client secret is stored (the secret itself never crosses to the renderer) */
  hasClientSecret: boolean;
}

/** The colour theme: follow the OS, or one fixed. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** How much room a pipeline takes on the board: cards, or one table-like line. */
export type BoardDensity = 'comfortable' | 'compact';
export const BOARD_DENSITIES: readonly BoardDensity[] = ['comfortable', 'compact'];

/** A forge host configured through an environment variable: shown, never editable in the app. */
export interface EnvironmentForgeHost {
  id: string;
  type: 'github' | 'gitlab';
  webUrl: string;
  clientId: string;
  /** the variable it came from, so the user knows where to change it */
  variable: 'RELEASE_BOARD_GITHUB_CLIENT_ID' | 'RELEASE_BOARD_FORGE_HOSTS';
}

export interface SettingsView {
  /** explicit kubeconfig file; undefined = KUBECONFIG or ~/.kube/config, like kubectl */
  kubeconfigPath?: string;
  /** GitopsCluster ("namespace/name" or "name") → kubeconfig context */
  clusterContextOverrides: Record<string, string>;
  /** reach clusters without a context through their GitopsCluster's kubeconfig Secret (needs RBAC) */
  readGitopsClusterSecrets: boolean;
  checkUpdatesAutomatically: boolean;
  notifyPromotions: boolean;
  forgeHosts: ForgeHostSetting[];
  /** Git hosts the user approved for token checks (beyond the configured forge hosts) */
  approvedForgeHosts: string[];
  /** credential plugins (command lines) the kubeconfig would run that the user has not approved */
  pendingExecPlugins: string[];
  /** read promotion Secrets for the Tokens view; null = the user has not been asked yet */
  readPromotionSecrets: boolean | null;
  /** changes that apply only after a restart (e.g. forge hosts) */
  restartRequired: boolean;
  theme: ThemeChoice;
  density: BoardDensity;
  /** hosts from RELEASE_BOARD_GITHUB_CLIENT_ID / RELEASE_BOARD_FORGE_HOSTS (read by main only) */
  environmentForgeHosts: EnvironmentForgeHost[];
}

export interface SettingsPatch {
  /** null = back to KUBECONFIG / ~/.kube/config; a file is chosen only through settings:choose-kubeconfig (main's own dialog) */
  kubeconfigPath?: null;
  readPromotionSecrets?: boolean;
  /** hosts to keep approved (approving a new one goes through tokens:approve-host, which asks in main) */
  approvedForgeHosts?: string[];
  clusterContextOverrides?: Record<string, string>;
  readGitopsClusterSecrets?: boolean;
  checkUpdatesAutomatically?: boolean;
  notifyPromotions?: boolean;
  theme?: ThemeChoice;
  density?: BoardDensity;
  /** a host with clientSecret undefined keeps the stored secret of the same webUrl */
  forgeHosts?: { id?: string; type: 'github' | 'gitlab'; webUrl: string; clientId: string; clientSecret?: string }[];
}
