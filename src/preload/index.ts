import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
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

// A dropped folder's path: the page gets File objects without paths (sandbox, contextIsolation),
// and only the preload may ask Electron for one. One function, answering '' for what has none.
contextBridge.exposeInMainWorld('files', {
  pathForFile: (file: Parameters<typeof webUtils.getPathForFile>[0]): string => webUtils.getPathForFile(file),
});
