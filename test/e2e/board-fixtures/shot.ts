// Dev helper: open the demo board in Chromium and save a screenshot (tsx test/e2e/board-fixtures/shot.ts out.png [dark] [width] [height] [hash]).
import { chromium } from '@playwright/test';
import { createDemoBoard } from './demo-board';
import { startBoardPreview } from './board-test';

const [out = 'artifacts/screenshots/dev.png', scheme = 'light', w = '1280', h = '800', hash = ''] = process.argv.slice(2);
const started = await startBoardPreview(createDemoBoard());
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) }, colorScheme: scheme === 'dark' ? 'dark' : 'light' });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(started.preview.url + hash);
await page.waitForSelector('[data-testid="pipeline-row"]', { timeout: 10_000 }).catch(() => console.log('no rows'));
await page.screenshot({ path: out });
await browser.close();
await started.close();
