// Playwright fixtures: a preview harness (main services in Node + built renderer) per worker.
import { test as base } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src-main/log/logger';
import { createMainServices } from '../../src-main/services';
import { previewAppInfo, repoRoot, startPreviewServer, type PreviewServer } from '../harness/preview-server';

export const screenshotDir = path.join(repoRoot, 'artifacts/screenshots');

export const test = base.extend<object, { preview: PreviewServer }>({
  preview: [
    async ({}, use) => {
      // Hermetic: the developer's KUBECONFIG, ~/.kube/config and forge-host variables must not
      // shape what these specs see, so main gets an empty home and only PATH from the real env.
      const emptyHome = await mkdtemp(path.join(os.tmpdir(), 'rb-e2e-home-'));
      const services = await createMainServices({
        logger: createLogger({ level: 'warn' }),
        appInfo: await previewAppInfo(),
        env: { PATH: process.env['PATH'] ?? '', HOME: emptyHome },
      });
      const server = await startPreviewServer({ services });
      await use(server);
      await server.close();
      await services.stop();
      await rm(emptyHome, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
