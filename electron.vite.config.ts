import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // The worker thread is its own entry so main can start it from `path.join(__dirname, 'archive-worker.js')`.
        input: {
          index: 'src/main/index.ts',
          'archive-worker': 'src/main/worker/archive-worker.ts',
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
