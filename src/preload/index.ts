import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from '../shared/ipc-contract';

// Sandboxed preload: bundled (it cannot require packages) and exposing only the typed operations,
// never ipcRenderer itself. The page's `window.api` type is `Api`, the type `createApi` returns.
contextBridge.exposeInMainWorld(
  'api',
  createApi((channel, input) => ipcRenderer.invoke(channel, input)),
);
