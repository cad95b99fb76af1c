import type { Api } from '../../shared/ipc-contract';

// The UI's only way to the backend. In Electron the preload provides it; the browser host will
// return an HTTP client built with the same `createApi` here.
export const api: Api = window.api;
