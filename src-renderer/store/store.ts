// The app store, built from small slices. Components read it through selectors.
import { create } from 'zustand';
import { createAppInfoSlice, type AppInfoSlice } from './app-info-slice';
import { createAppearanceSlice, type AppearanceSlice } from './appearance-slice';
import { createBoardSlice, type BoardSlice } from './board-slice';
import { createPromotionSlice, type PromotionSlice } from './promotion-slice';
import { createServicesSlice, type ServicesSlice } from './services-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createForgesSlice, type ForgesSlice } from './forges-slice';

export type AppState = AppInfoSlice & BoardSlice & UiSlice & SessionSlice & ServicesSlice & ForgesSlice & AppearanceSlice & PromotionSlice;

export const createAppStore = () =>
  create<AppState>()((...a) => ({
    ...createAppInfoSlice(...a),
    ...createBoardSlice(...a),
    ...createUiSlice(...a),
    ...createSessionSlice(...a),
    ...createServicesSlice(...a),
    ...createForgesSlice(...a),
    ...createAppearanceSlice(...a),
    ...createPromotionSlice(...a),
  }));

export const useAppStore = createAppStore();
