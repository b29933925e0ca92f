// Values for Electron's About panel (app.setAboutPanelOptions): name, version, the runtime
// versions a bug report needs, copyright and the project site. Pure, so it is tested in Node.
import type { AboutPanelOptionsOptions } from 'electron';
import type { AppInfo } from '../common/app-info';

export interface AboutPanelInput {
  app: AppInfo;
  copyright: string;
  website: string;
  /** PNG shown on Linux and Windows (macOS uses the bundle icon) */
  iconPath?: string;
}

export function aboutPanelOptions(input: AboutPanelInput): AboutPanelOptionsOptions {
  const { app } = input;
  const runtime = [`Electron ${app.versions.electron ?? '?'}`, `Chromium ${app.versions.chrome ?? '?'}`, `Node ${app.versions.node}`].join(' · ');
  return {
    applicationName: app.name,
    applicationVersion: app.version,
    // macOS shows `version` in parentheses after the application version.
    version: runtime,
    copyright: input.copyright,
    credits: `${runtime}\n${app.platform}/${app.arch}`,
    website: input.website,
    authors: ['Release Board team'],
    ...(input.iconPath ? { iconPath: input.iconPath } : {}),
  };
}
