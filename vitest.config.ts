import { defineConfig } from 'vitest/config';

// Unit and integration tests run in plain Node: main-process services, the sandbox,
// pure renderer logic. Component tests (src-renderer/**/*.dom.test.tsx) ask for happy-dom in
// their first line, so only they get a DOM. Playwright specs (*.spec.ts under test/e2e,
// test/electron) are not vitest's.
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', 'test/e2e/**', 'test/electron/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
