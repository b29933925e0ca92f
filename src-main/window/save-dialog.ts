// Saving a release-log export: main shows the native save dialog, the user picks the path, and
// main writes the file. The renderer never names a path (nor sends the content: main built it).
import type { BrowserWindow, Dialog, SaveDialogOptions } from 'electron';
import type { ReleaseLogFormat } from '../common/release-log';

type ParentWindow = () => BrowserWindow | undefined;
type WriteFile = (path: string, content: string) => Promise<void>;

const filters: Record<ReleaseLogFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (spreadsheets)', extensions: ['csv'] },
  markdown: { name: 'Markdown', extensions: ['md'] },
};

export function releaseLogSaver(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  parent: ParentWindow,
  writeFile: WriteFile,
  defaultDir: () => string,
): (suggestedName: string, content: string, format: ReleaseLogFormat) => Promise<string | null> {
  return async (suggestedName, content, format) => {
    const options: SaveDialogOptions = {
      title: 'Export the release log',
      buttonLabel: 'Export',
      defaultPath: `${defaultDir()}/${suggestedName}`,
      filters: [filters[format]],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const window = parent();
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return null;
    await writeFile(result.filePath, content);
    return result.filePath;
  };
}
