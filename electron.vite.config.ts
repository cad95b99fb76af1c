import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // The worker threads are entries of their own so main can start them from
        // `path.join(__dirname, 'archive-worker.js')` and `'export-worker.js'` (export-desktop.ts).
        input: {
          index: 'src/main/index.ts',
          'archive-worker': 'src/main/worker/archive-worker.ts',
          'export-worker': 'src/main/services/export/redact-worker.ts',
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only `electron` and a few builtins, so zod and the
      // contract are bundled in, as one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: 'src/preload/index.ts' },
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      rolldownOptions: {
        input: { index: 'src/renderer/index.html' },
      },
    },
    plugins: [react()],
  },
});
