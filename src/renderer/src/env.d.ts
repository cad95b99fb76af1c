/// <reference types="vite/client" />
import type { Api } from '../../shared/ipc-contract';

declare global {
  interface Window {
    // Exposed by the Electron preload from the same `createApi`, hence the same type; absent when
    // the page is served by the browser host.
    readonly api?: Api;
  }
}
