/// <reference types="vite/client" />
import type { Api } from '../../shared/ipc-contract';

declare global {
  interface Window {
    // Exposed by the preload from the same `createApi`, hence the same type.
    readonly api: Api;
  }
}
