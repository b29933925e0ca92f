// Questions main asks the user itself, in native dialogs the renderer cannot draw or answer:
// which kubeconfig file to use (its credential plugins will run) and whether a Git host may
// receive tokens. Security model: a compromised renderer can ask main to ask, but only the
// person at the keyboard answers; the dialog names exactly what is at stake.
import type { BrowserWindow, Dialog, MessageBoxOptions, OpenDialogOptions } from 'electron';

type DialogApi = Pick<Dialog, 'showOpenDialog' | 'showMessageBox'>;
type ParentWindow = () => BrowserWindow | undefined;

/** Shows a Cancel-first message box; true only when the user pressed the second (approving) button. */
async function confirmed(dialog: DialogApi, parent: ParentWindow, options: MessageBoxOptions): Promise<boolean> {
  const window = parent();
  const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return result.response === 1;
}

export function kubeconfigPicker(dialog: DialogApi, parent: ParentWindow): () => Promise<string | null> {
  return async () => {
    const options: OpenDialogOptions = {
      title: 'Choose a kubeconfig file',
      buttonLabel: 'Use this kubeconfig',
      properties: ['openFile', 'showHiddenFiles'],
    };
    const window = parent();
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}

export function hostApprovalPrompt(dialog: DialogApi, parent: ParentWindow): (host: string, pipelines: string[]) => Promise<boolean> {
  return async (host, pipelines) => {
    const shown = pipelines.slice(0, 8).join(', ') + (pipelines.length > 8 ? ` and ${pipelines.length - 8} more` : '');
    const options: MessageBoxOptions = {
      type: 'warning',
      title: 'Approve a Git host',
      message: `Send promotion tokens to ${host}?`,
      detail:
        `The Pipelines ${shown} name a repository on ${host}, which is not one of your Git hosts. ` +
        `Approving lets Release Board send the tokens stored in their Secrets to ${host} to check them. ` +
        'Approve only if you know and trust this host: anyone who can edit a Pipeline can name any host.',
      buttons: ['Cancel', `Approve ${host}`],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    };
    return confirmed(dialog, parent, options);
  };
}

export function execPluginPrompt(dialog: DialogApi, parent: ParentWindow): (commandLines: string[]) => Promise<boolean> {
  return async (commandLines) => {
    const options: MessageBoxOptions = {
      type: 'warning',
      title: 'Run credential plugins?',
      message: `Your kubeconfig runs ${commandLines.length === 1 ? 'a program' : `${commandLines.length} programs`} to get cluster credentials.`,
      detail: `Release Board will run, as you:\n\n${commandLines.map((c) => `  ${c}`).join('\n')}\n\nRun them only if you recognise them (for example your cloud's CLI). A kubeconfig you were sent can name any program.`,
      buttons: ['Cancel', 'Run these plugins'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    };
    return confirmed(dialog, parent, options);
  };
}
