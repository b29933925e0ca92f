// Playwright fixtures: a preview harness (main services in Node + built renderer) per worker.
import { test as base } from '@playwright/test';
import path from 'node:path';
import { createLogger } from '../../src-main/log/logger';
import { createMainServices } from '../../src-main/services';
import { previewAppInfo, repoRoot, startPreviewServer, type PreviewServer } from '../harness/preview-server';

export const screenshotDir = path.join(repoRoot, 'artifacts/screenshots');

export const test = base.extend<object, { preview: PreviewServer }>({
  preview: [
    async ({}, use) => {
      const services = await createMainServices({
        logger: createLogger({ level: 'warn' }),
        appInfo: await previewAppInfo(),
      });
      const server = await startPreviewServer({ services });
      await use(server);
      await server.close();
      await services.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
