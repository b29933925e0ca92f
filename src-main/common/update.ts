// The app's self-update state, as the renderer shows it. Pure types.

export type UpdateStateName = 'idle' | 'checking' | 'available' | 'downloading' | 'ready' | 'error' | 'disabled';

/** What the renderer shows; plain data, safe to send over IPC. */
export interface UpdateState {
  state: UpdateStateName;
  /** the version on offer (available, downloading, ready) */
  version?: string;
  /** human explanation: why disabled, what failed */
  message?: string;
  /** download progress 0–100 (downloading) */
  percent?: number;
  /** ISO time of the last completed check */
  lastCheckedAt?: string;
}

/** The part of electron-updater's AppUpdater this service uses. */
