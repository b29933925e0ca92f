// The app store, built from small slices. Components read it through selectors.
import { create } from 'zustand';
import { createAppInfoSlice, type AppInfoSlice } from './app-info-slice';
import { createBoardSlice, type BoardSlice } from './board-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AppState = AppInfoSlice & BoardSlice & UiSlice;

export const createAppStore = () =>
  create<AppState>()((...a) => ({
    ...createAppInfoSlice(...a),
    ...createBoardSlice(...a),
    ...createUiSlice(...a),
  }));

export const useAppStore = createAppStore();
