import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, EVENT_CHANNEL, ipcChannel, type AppEvent } from '../shared/ipc-contract';

// Sandboxed preload: bundled (it cannot require packages) and exposing only the typed operations
// and one event subscription, never ipcRenderer itself. The page's `window.api` type is `Api`,
// the type `createApi` returns.
contextBridge.exposeInMainWorld(
  'api',
  createApi({
    invoke: (name, input) => ipcRenderer.invoke(ipcChannel(name), input),
    subscribe: (listener) => {
      // The IPC event object (with its sender) stays here; the page gets the payload only.
      const forward = (_event: IpcRendererEvent, payload: AppEvent) => listener(payload);
      ipcRenderer.on(EVENT_CHANNEL, forward);
      return () => {
        ipcRenderer.removeListener(EVENT_CHANNEL, forward);
      };
    },
  }),
);
