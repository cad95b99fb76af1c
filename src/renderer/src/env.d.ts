/// <reference types="vite/client" />
import type { Api } from '../../shared/ipc-contract';

declare global {
  interface Window {
    // Exposed by the Electron preload from the same `createApi`, hence the same type; absent when
    // the page is served by the browser host.
    readonly api?: Api;
    // The desktop preload's one helper for dropped files (src/preload/index.ts): the path of a
    // dropped file or folder, '' for one that has none. Absent in the browser host.
    readonly files?: { readonly pathForFile: (file: File) => string };
  }
}
