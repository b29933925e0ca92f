// What each forge supports, as main's forge registry publishes it (forges:list-capabilities),
// loaded once at start. Until it arrives (or if it fails) the list is empty and the helpers in
// features/forges fall back to neutral wording.
import type { StateCreator } from 'zustand';
import type { ForgeCapabilities } from '../../src-main/common/forges';
import { bridge } from '../bridge/release-board';

export interface ForgesSlice {
  forgeCapabilities: ForgeCapabilities[];
  loadForgeCapabilities(): Promise<void>;
}

export const createForgesSlice: StateCreator<ForgesSlice, [], [], ForgesSlice> = (set) => ({
  forgeCapabilities: [],
  async loadForgeCapabilities() {
    const result = await bridge.request('forges:list-capabilities', undefined);
    if (result.ok) set({ forgeCapabilities: result.value });
  },
});
