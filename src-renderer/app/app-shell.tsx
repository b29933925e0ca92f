// The window's layout: top bar, board, status bar.
import { useEffect } from 'react';
import { BoardArea } from '../features/board/board-area';
import { useAppStore } from '../store/store';
import { StatusBar } from './status-bar';
import { TopBar } from './top-bar';

export function AppShell() {
  const loadAppInfo = useAppStore((s) => s.loadAppInfo);
  useEffect(() => {
    void loadAppInfo();
  }, [loadAppInfo]);
  return (
    <div className="app-shell">
      <TopBar />
      <main className="app-shell__main" aria-label="Pipeline board">
        <BoardArea />
      </main>
      <StatusBar />
    </div>
  );
}
