import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  EVENT_CHANNEL,
  ipcChannel,
  operationNames,
  runOperation,
  type AppEvent,
  type IpcResult,
  type OperationHandlers,
  type OperationName,
  type OperationOutput,
} from '../shared/ipc-contract';

// Only the app's own windows may call the backend or hear its events (Electron security
// checklist, item 17).
const trustedSenders = new Map<number, WebContents>();

export function trustIpcSender(webContents: WebContents): void {
  const id = webContents.id;
  trustedSenders.set(id, webContents);
  webContents.once('destroyed', () => trustedSenders.delete(id));
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  // A null parent means the top frame; subframes never get the API.
  return trustedSenders.has(event.sender.id) && event.senderFrame?.parent === null;
}

export function setupIpc(handlers: OperationHandlers): void {
  for (const name of operationNames) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => handle(name, handlers, event, input));
  }
}

/** Delivers one event to every trusted window (the preload hands it to `api.onEvent` listeners). */
export function sendEvent(event: AppEvent): void {
  for (const contents of trustedSenders.values()) {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  }
}

async function handle<N extends OperationName>(
  name: N,
  handlers: OperationHandlers,
  event: IpcMainInvokeEvent,
  rawInput: unknown,
): Promise<IpcResult<OperationOutput<N>>> {
  if (!isTrustedSender(event)) {
    console.warn(`ipc: rejected ${name} from untrusted sender ${event.senderFrame?.url ?? '(gone)'}`);
    return { ok: false, error: { code: 'refused', message: 'Request refused: untrusted sender.' } };
  }
  return runOperation(handlers, name, rawInput);
}
