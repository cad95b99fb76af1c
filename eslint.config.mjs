import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// The layering of the engineering guide ("Shape of the application"), checked per folder.
// ESLint does not merge a rule's options across matching blocks (the last one wins), so each
// zone states its whole `no-restricted-imports` list, built by `layering`.

const ELECTRON_MODULES = ['electron', 'electron/main', 'electron/renderer', 'electron/common', 'electron/utility'];
const ELECTRON_MESSAGE =
  'Only src/main (outside services/ and worker/) and src/preload load Electron: its runtime is absent where the tests and the CLI run.';
const IPC_WRAPPERS = {
  ipcMain: 'src/main/ipc.ts',
  ipcRenderer: 'src/preload/index.ts',
  contextBridge: 'src/preload/index.ts',
};

/**
 * @param {{ electron: boolean, nodeBuiltins: boolean, ipc?: string[] }} allowed
 *   `electron`: may import Electron at all; `nodeBuiltins`: may import Node's builtins;
 *   `ipc`: the IPC objects of `IPC_WRAPPERS` this file may import.
 */
function layering({ electron, nodeBuiltins, ipc = [] }) {
  const paths = [];
  const patterns = [];
  if (electron) {
    for (const [name, file] of Object.entries(IPC_WRAPPERS)) {
      if (ipc.includes(name)) continue;
      const message = `Only ${file} touches ${name}; everything else goes through the typed contract.`;
      paths.push(...ELECTRON_MODULES.map((module) => ({ name: module, importNames: [name], message })));
    }
  } else {
    patterns.push({ group: ['electron', 'electron/*'], message: ELECTRON_MESSAGE });
  }
  if (!nodeBuiltins) {
    const message = 'This layer also runs in the browser (or a sandboxed preload): no Node builtins.';
    patterns.push({ group: ['node:*'], message });
    paths.push(...builtinModules.map((name) => ({ name, message })));
  }
  return ['error', { paths, patterns }];
}

const dynamicElectronLoads = [
  'ImportExpression[source.value=/^electron(\\/|$)/]',
  "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\/|$)/]",
].map((selector) => ({ selector, message: ELECTRON_MESSAGE }));

export default defineConfig([
  globalIgnores(['out/', 'dist/', 'node_modules/', 'resources/', 'test-results/', 'playwright-report/', '.bench/', '.scratch/', 'assembly/']),

  js.configs.recommended,
  {
    // Matching control characters is deliberate here: archive text is sanitized before display.
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    extends: [tseslint.configs.recommended],
    rules: {
      // Warn, not fail: callback tables keep a uniform `(r) => ...` shape even where r is unused.
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  {
    rules: {
      'no-restricted-imports': layering({ electron: false, nodeBuiltins: true }),
      // no-restricted-imports sees static imports only.
      'no-restricted-syntax': ['error', ...dynamicElectronLoads],
    },
  },
  {
    files: ['src/main/**', 'src/preload/**'],
    ignores: ['src/main/services/**', 'src/main/worker/**'],
    rules: {
      'no-restricted-imports': layering({ electron: true, nodeBuiltins: true }),
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['src/main/ipc.ts'],
    rules: { 'no-restricted-imports': layering({ electron: true, nodeBuiltins: true, ipc: ['ipcMain'] }) },
  },
  {
    files: ['src/preload/**'],
    rules: { 'no-restricted-imports': layering({ electron: true, nodeBuiltins: false }) },
  },
  {
    files: ['src/preload/index.ts'],
    rules: {
      'no-restricted-imports': layering({ electron: true, nodeBuiltins: false, ipc: ['ipcRenderer', 'contextBridge'] }),
    },
  },
  {
    files: ['src/shared/**', 'src/renderer/**'],
    rules: { 'no-restricted-imports': layering({ electron: false, nodeBuiltins: false }) },
  },

  {
    files: ['test/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'only', message: 'Focused tests (`.only`) silently skip the rest; remove before committing.' },
      ],
    },
  },
]);
