// Lint configuration, including the layer rules of docs/architecture.md. The rules are
// enforced here, not remembered: test/lint/layer-rules.test.ts proves each one fires.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import noFolderCycles from './scripts/lint/no-folder-cycles.mjs';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'url', 'util', 'stream', 'events', 'worker_threads', 'zlib'];
const productionMustNotImportTests = { regex: '(^|/)test/', message: 'Production code never imports test code.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'test-results/**', 'playwright-report/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // accessibility of the markup: the recommended set, checked on every component
      ...jsxA11y.flatConfigs.recommended.rules,
      // our wrappers around a native <select>/<input>: a <label> around one labels a real control
      'jsx-a11y/label-has-associated-control': ['error', { controlComponents: ['EnvironmentSelect'], depth: 3 }],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer is a sandboxed web page: talk to main through src-renderer/bridge.' }],
          patterns: [
            { regex: '(^|/)src-main/(?!common/)', message: 'The renderer imports nothing from src-main except src-main/common.' },
            { group: nodeBuiltins.flatMap((m) => [m, `node:${m}`]), message: 'The renderer has no Node.js.' },
            productionMustNotImportTests,
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'window', property: 'releaseBoard', message: 'Only src-renderer/bridge reads window.releaseBoard.' }],
    },
  },
  {
    files: ['src-renderer/bridge/**/*.{ts,tsx}'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/common/**', 'src-main/ipc/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'Only src-main/ipc touches ipcMain.' }],
          patterns: [productionMustNotImportTests],
        },
      ],
    },
  },
  {
    // auth, git and tokens depend on forges and never on each other; no folder imports the root
    files: ['src-main/**/*.ts'],
    plugins: { 'release-board': { rules: { 'no-folder-cycles': noFolderCycles } } },
    rules: { 'release-board/no-folder-cycles': 'error' },
  },
  {
    files: ['src-main/ipc/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [productionMustNotImportTests] }] },
  },
  {
    files: ['src-main/common/**/*.ts'],
    // its tests run under vitest in Node; what ships is the modules they test
    ignores: ['src-main/common/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(?!\\./)', message: 'src-main/common is pure TypeScript shared with the renderer: it imports only its own modules (./x), no runtime library, no Node, no Electron.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Playwright fixtures must destructure their (possibly empty) dependencies.
    files: ['test/e2e/**/*.ts', 'test/bench/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
