import { createApi, type Api, type IpcResult } from '../../shared/ipc-contract';
import { httpTransport, takeSessionToken } from './http-transport';

// The UI's only way to the backend. In Electron the preload provides `window.api`; in a browser
// (`alog serve`) the same contract is spoken over HTTP with the page's session token.
export const api: Api = window.api ?? createApi(httpTransport(takeSessionToken()));

/** A call whose transport failed (the host went away), as the failed result the views already show. */
export const asFailure = (error: unknown): IpcResult<never> => ({
  ok: false,
  error: { message: error instanceof Error ? error.message : String(error) },
});
