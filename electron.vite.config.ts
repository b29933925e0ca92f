import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

// The public OAuth client ids a release build embeds (src-main/config/built-in-clients.ts).
// Build-time only: the release workflow sets them from repository variables.
const builtInClientIds = {
  __RELEASE_BOARD_GITHUB_CLIENT_ID__: JSON.stringify(process.env['RELEASE_BOARD_BUILD_GITHUB_CLIENT_ID'] ?? ''),
  __RELEASE_BOARD_GITLAB_CLIENT_ID__: JSON.stringify(process.env['RELEASE_BOARD_BUILD_GITLAB_CLIENT_ID'] ?? ''),
};

// `electron-vite dev` only: Vite's dev page needs an inline module (React Refresh) and inline
// styles, which the page's own strict CSP <meta> forbids. The dev server drops that <meta>;
// main then sends the development policy as a header (devServerContentSecurityPolicy).
// Built pages keep the <meta> and the strict policy.
function dropCspMetaInDevServer(): Plugin {
  return {
    name: 'release-board:dev-server-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, ''),
  };
}

// Entries are explicit: the layout (src-main, src-renderer) is not electron-vite's default.
export default defineConfig({
  main: {
    define: builtInClientIds,
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rolldownOptions: { input: { index: resolve(import.meta.dirname, 'src-main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ES modules or node_modules: one self-contained CJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    plugins: [react(), dropCspMetaInDevServer()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve(import.meta.dirname, 'src-renderer/index.html') } },
    },
  },
});
