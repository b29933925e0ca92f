// What the user sees when the app cannot start: a dialog that says what failed and where the
// log is, instead of a process that silently exits. Plain text, built without Electron.

export function startupFailureText(error: unknown, logFile: string): { title: string; content: string } {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    title: 'Release Board could not start',
    content: `${reason}\n\n` + `The log has the details: ${logFile}\n` + 'Attach it (it holds no tokens) when you report the problem: https://github.com/release-board/release-board/issues/new',
  };
}
