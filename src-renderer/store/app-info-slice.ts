// App information from main (version, platform), loaded once at start.
import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../src-main/common/app-info';
import type { AppError } from '../../src-main/common/result';
import { bridge } from '../bridge/release-board';

export type Loadable<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: AppError };

export interface AppInfoSlice {
  appInfo: Loadable<AppInfo>;
  loadAppInfo(): Promise<void>;
}

export const createAppInfoSlice: StateCreator<AppInfoSlice, [], [], AppInfoSlice> = (set) => ({
  appInfo: { status: 'loading' },
  async loadAppInfo() {
    set({ appInfo: { status: 'loading' } });
    const result = await bridge.request('app:get-info', undefined);
    set({ appInfo: result.ok ? { status: 'ready', value: result.value } : { status: 'error', error: result.error } });
  },
});
