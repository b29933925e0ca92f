// Renders assets/icon.svg to assets/icon.png (1024×1024) with Debian's Chromium, so the
// installer icon is generated from the one source of truth. Run: npx tsx scripts/render-icon.ts
import { chromium } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const svg = await readFile(path.join(root, 'assets/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: path.join(root, 'assets/icon.png'), omitBackground: true });
await browser.close();
