// The window's layout: top bar, board, status bar, and the board's dialogs and overlays.
import { useEffect } from 'react';
import { Announcer } from '../components/announcer';
import { BoardArea } from '../features/board/board-area';
import { CommandPalette } from '../features/board/command-palette';
import { PromoteDialog } from '../features/board/promote-dialog';
import { RollbackDialog } from '../features/releases/rollback-dialog';
import { ShortcutSheet } from '../features/board/shortcut-sheet';
import { SettingsDialogHost } from '../features/settings/settings-dialog';
import { useBoardSubscription, useFocusRequests, useGlobalKeys, useUrlView } from '../features/board/use-board-shell';
import { useAppStore } from '../store/store';
import { StatusBar } from './status-bar';
import { TopBar } from './top-bar';

export function AppShell() {
  const loadAppInfo = useAppStore((s) => s.loadAppInfo);
  useEffect(() => {
    void loadAppInfo();
  }, [loadAppInfo]);
  const subscribeSessions = useAppStore((s) => s.subscribeSessions);
  const subscribeServices = useAppStore((s) => s.subscribeServices);
  useEffect(() => subscribeSessions(), [subscribeSessions]);
  useEffect(() => subscribeServices(), [subscribeServices]);
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
      <RollbackDialog />
      <CommandPalette />
      <ShortcutSheet />
      <SettingsDialogHost />
      <Announcer />
    </div>
  );
}
