import { createApi, type Api } from '../../shared/ipc-contract';
import { httpTransport, takeSessionToken } from './http-transport';

// The UI's only way to the backend. In Electron the preload provides `window.api`; in a browser
// (`alog serve`) the same contract is spoken over HTTP with the page's session token.
export const api: Api = window.api ?? createApi(httpTransport(takeSessionToken()));
