// What the About panel and the diagnostics show: versions only, never paths or secrets.
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  arch: string;
  versions: { electron: string | null; chrome: string | null; node: string };
  /** 'electron' in the desktop app; another value when the services run elsewhere */
  shell: string;
}
