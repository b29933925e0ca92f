// The window's layout: top bar, board, status bar, and the board's dialogs and overlays.
import { useEffect } from 'react';
import { Announcer } from '../components/announcer';
import { BoardArea } from '../features/board/board-area';
import { CommandPalette } from '../features/board/command-palette';
import { PromoteDialog } from '../features/board/promote-dialog';
import { BatchPromoteDialog } from '../features/board/batch-promote-dialog';
import { RollbackDialog } from '../features/releases/rollback-dialog';
import { ShortcutSheet } from '../features/board/shortcut-sheet';
import { SettingsDialogHost } from '../features/settings/settings-dialog';
import { useBoardSubscription, useFocusRequests, useGlobalKeys, useUrlView } from '../features/board/use-board-shell';
import { useAppStore } from '../store/store';
import { StatusBar } from './status-bar';
import { TopBar } from './top-bar';

/** A fixed theme sets color-scheme on the root element (app.css); "system" leaves it to the OS. */
function useAppliedTheme(): void {
  const theme = useAppStore((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset['theme'];
    else root.dataset['theme'] = theme;
  }, [theme]);
}

export function AppShell() {
  const loadAppInfo = useAppStore((s) => s.loadAppInfo);
  const loadForgeCapabilities = useAppStore((s) => s.loadForgeCapabilities);
  useEffect(() => {
    void loadAppInfo();
    void loadForgeCapabilities();
  }, [loadAppInfo, loadForgeCapabilities]);
  const subscribeSessions = useAppStore((s) => s.subscribeSessions);
  const subscribeServices = useAppStore((s) => s.subscribeServices);
  useEffect(() => subscribeSessions(), [subscribeSessions]);
  useEffect(() => subscribeServices(), [subscribeServices]);
  const subscribeAppearance = useAppStore((s) => s.subscribeAppearance);
  useEffect(() => subscribeAppearance(), [subscribeAppearance]);
  useAppliedTheme();
  useBoardSubscription();
  useFocusRequests();
  useUrlView();
  useGlobalKeys();
  return (
    <div className="app-shell">
      <TopBar />
      <main className="app-shell__main" aria-label="Pipeline board">
        <BoardArea />
      </main>
      <StatusBar />
      <PromoteDialog />
      <BatchPromoteDialog />
      <RollbackDialog />
      <CommandPalette />
      <ShortcutSheet />
      <SettingsDialogHost />
      <Announcer />
    </div>
  );
}
