import { describe, expect, it } from 'vitest';
import { releaseLogSaver } from './save-dialog';

function fakeDialog(answer: { canceled: boolean; filePath?: string }) {
  const asked: unknown[] = [];
  const dialog = {
    showSaveDialog: async (...args: unknown[]) => {
      asked.push(args.at(-1));
      return answer;
    },
  };
  return { dialog: dialog as never, asked };
}

describe('release-log save dialog', () => {
  it('writes the content where the user chose, suggesting a name and filtering by format', async () => {
    const written: [string, string][] = [];
    const { dialog, asked } = fakeDialog({ canceled: false, filePath: '/home/me/reviews/week.csv' });
    const save = releaseLogSaver(
      dialog,
      () => undefined,
      async (p, c) => void written.push([p, c]),
      () => '/home/me/Documents',
    );
    expect(await save('release-log-2026-12-07.csv', 'a,b\r\n', 'csv')).toBe('/home/me/reviews/week.csv');
    expect(written).toEqual([['/home/me/reviews/week.csv', 'a,b\r\n']]);
    expect(asked[0]).toMatchObject({ defaultPath: '/home/me/Documents/release-log-2026-12-07.csv', filters: [{ extensions: ['csv'] }] });
  });

  it('writes nothing when the user cancels', async () => {
    const written: string[] = [];
    const save = releaseLogSaver(
      fakeDialog({ canceled: true }).dialog,
      () => undefined,
      async (p) => void written.push(p),
      () => '/tmp',
    );
    expect(await save('x.md', '# x', 'markdown')).toBeNull();
    expect(written).toEqual([]);
  });
});
