// Shared set-up of the component tests (*.dom.test.tsx, run under happy-dom): each test starts
// from the app store as the app starts it and with no main behind the bridge, and leaves no
// rendered tree behind. Test code only.
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { useAppStore, type AppState } from '../store/store';
import { uninstallFakeMain } from './fake-main';

// taken when the first component test imports this module, before any test changed the store
const pristine: AppState = useAppStore.getState();

/** Registers the per-test reset; call once at the top of a component test file. */
export function resetAppBetweenTests(): void {
  beforeEach(() => useAppStore.setState(pristine, true));
  afterEach(() => {
    // RTL cleans up by itself only where the test runner exposes a global afterEach
    cleanup();
    uninstallFakeMain();
  });
}
