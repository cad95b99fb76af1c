import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import {
  ipcChannel,
  ipcContract,
  operationNames,
  type IpcResult,
  type OperationName,
  type OperationOutput,
} from '../shared/ipc-contract';

type ParsedInput<N extends OperationName> = z.output<(typeof ipcContract)[N]['input']>;

export type IpcHandlers = {
  readonly [N in OperationName]: (input: ParsedInput<N>) => OperationOutput<N> | Promise<OperationOutput<N>>;
};

// Only the app's own windows may call the backend (Electron security checklist, item 17).
const trustedSenders = new Set<number>();

export function trustIpcSender(webContents: WebContents): void {
  const id = webContents.id;
  trustedSenders.add(id);
  webContents.once('destroyed', () => trustedSenders.delete(id));
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  // A null parent means the top frame; subframes never get the API.
  return trustedSenders.has(event.sender.id) && event.senderFrame?.parent === null;
}

export function setupIpc(handlers: IpcHandlers): void {
  for (const name of operationNames) {
    ipcMain.handle(ipcChannel(name), (event, input: unknown) => handle(name, handlers, event, input));
  }
}

async function handle<N extends OperationName>(
  name: N,
  handlers: IpcHandlers,
  event: IpcMainInvokeEvent,
  rawInput: unknown,
): Promise<IpcResult<OperationOutput<N>>> {
  if (!isTrustedSender(event)) {
    console.warn(`ipc: rejected ${name} from untrusted sender ${event.senderFrame?.url ?? '(gone)'}`);
    return { ok: false, error: { message: 'Request refused: untrusted sender.' } };
  }
  // TypeScript cannot tie ipcContract[name] to handlers[name] for a generic name
  // (microsoft/TypeScript#30581); the schema is the one that defines that handler's input.
  const input = ipcContract[name].input.safeParse(rawInput) as z.ZodSafeParseResult<ParsedInput<N>>;
  if (!input.success) {
    return { ok: false, error: { message: `Invalid input for ${name}: ${z.prettifyError(input.error)}` } };
  }
  try {
    return { ok: true, value: await handlers[name](input.data) };
  } catch (error) {
    return { ok: false, error: { message: error instanceof Error ? error.message : String(error) } };
  }
}
