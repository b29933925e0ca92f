// How the window looks: the colour theme and the board's density. Both live in main's
// settings (remembered across restarts); the renderer loads them at start, follows
// settings:changed, and applies a change at once, before main has confirmed it.
import type { StateCreator } from 'zustand';
import type { BoardDensity, ThemeChoice } from '../../src-main/common/settings';
import { bridge, followState } from '../bridge/release-board';
import type { UiSlice } from './ui-slice';

export interface AppearanceSlice {
  theme: ThemeChoice;
  density: BoardDensity;
  subscribeAppearance(): () => void;
  setTheme(theme: ThemeChoice): Promise<void>;
  setDensity(density: BoardDensity): Promise<void>;
}

export const createAppearanceSlice: StateCreator<AppearanceSlice & UiSlice, [], [], AppearanceSlice> = (set, get) => {
  /** Applies the choice now; if main refuses to save it, goes back and says why. */
  const save = async (patch: { theme: ThemeChoice } | { density: BoardDensity }) => {
    const before = { theme: get().theme, density: get().density };
    set(patch);
    const saved = await bridge.request('settings:update', patch);
    if (saved.ok) set({ theme: saved.value.theme, density: saved.value.density });
    else {
      set(before);
      get().announce(`Could not save the ${'theme' in patch ? 'theme' : 'density'}: ${saved.error.message}`, 'refusal');
    }
  };
  return {
    theme: 'system',
    density: 'comfortable',
    subscribeAppearance() {
      return followState(
        'settings:changed',
        () => bridge.request('settings:get', undefined),
        (view) => set({ theme: view.theme, density: view.density }),
      );
    },
    setTheme: (theme) => save({ theme }),
    setDensity: (density) => save({ density }),
  };
};
