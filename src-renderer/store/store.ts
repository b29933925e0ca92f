// The app store, built from small slices. Components read it through selectors.
import { create } from 'zustand';
import { createAppInfoSlice, type AppInfoSlice } from './app-info-slice';

export type AppState = AppInfoSlice;

export const createAppStore = () =>
  create<AppState>()((...a) => ({
    ...createAppInfoSlice(...a),
  }));

export const useAppStore = createAppStore();
