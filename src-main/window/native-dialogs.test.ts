import { describe, expect, it } from 'vitest';
import { hostApprovalPrompt, kubeconfigPicker } from './native-dialogs';

function fakeDialog(answers: { open?: { canceled: boolean; filePaths: string[] }; response?: number }) {
  const asked: unknown[] = [];
  const dialog = {
    showOpenDialog: async (...args: unknown[]) => {
      asked.push(args.at(-1));
      return answers.open ?? { canceled: true, filePaths: [] };
    },
    showMessageBox: async (...args: unknown[]) => {
      asked.push(args.at(-1));
      return { response: answers.response ?? 0, checkboxChecked: false };
    },
  };
  return { dialog: dialog as never, asked };
}

describe('native dialogs', () => {
  it('returns the file the user picked, or null when cancelled', async () => {
    expect(await kubeconfigPicker(fakeDialog({ open: { canceled: false, filePaths: ['/home/me/.kube/other'] } }).dialog, () => undefined)()).toBe('/home/me/.kube/other');
    expect(await kubeconfigPicker(fakeDialog({ open: { canceled: true, filePaths: [] } }).dialog, () => undefined)()).toBeNull();
  });

  it('names the host and the pipelines, defaults to Cancel, and approves only on the Approve button', async () => {
    const declined = fakeDialog({ response: 0 });
    expect(await hostApprovalPrompt(declined.dialog, () => undefined)('127.0.0.1:9999', ['platform/aaa-evil'])).toBe(false);
    expect(declined.asked[0]).toMatchObject({ message: 'Send promotion tokens to 127.0.0.1:9999?', defaultId: 0, cancelId: 0, buttons: ['Cancel', 'Approve 127.0.0.1:9999'] });
    expect((declined.asked[0] as { detail: string }).detail).toContain('platform/aaa-evil');
    expect(await hostApprovalPrompt(fakeDialog({ response: 1 }).dialog, () => undefined)('git.partner.example', ['a/b'])).toBe(true);
  });
});
