import { z } from 'zod';

// The one contract between the UI and the backend. Every transport (Electron IPC, the browser
// host's HTTP) builds its client with `createApi` and validates inputs with these schemas, so an
// operation is added by adding an entry to `ipcContract` and a handler, nothing else.

export const ArchiveInfo = z.object({
  path: z.string(),
  name: z.string(),
});
export type ArchiveInfo = z.infer<typeof ArchiveInfo>;

interface Operation {
  input: z.ZodType;
  output: z.ZodType;
}

export const ipcContract = {
  getArchiveInfo: { input: z.strictObject({}), output: ArchiveInfo },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof ipcContract;
export type OperationInput<N extends OperationName> = z.input<(typeof ipcContract)[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<(typeof ipcContract)[N]['output']>;

export const operationNames = Object.keys(ipcContract) as OperationName[];

export function ipcChannel(name: OperationName): string {
  return `api:${name}`;
}

// Errors thrown across IPC reach the renderer as a bare, prefixed message, so failures are values.
export interface IpcError {
  message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type Api = {
  readonly [N in OperationName]: (input: OperationInput<N>) => Promise<IpcResult<OperationOutput<N>>>;
};

/** Sends one operation's input over a transport and resolves to its `IpcResult`. */
export type Invoke = (channel: string, input: unknown) => Promise<unknown>;

/**
 * One function per operation, bound to a transport. Only these functions reach the page: the
 * transport itself is never exposed, so the page cannot call arbitrary channels.
 */
export function createApi(invoke: Invoke): Api {
  const entries = operationNames.map((name) => [name, (input: unknown) => invoke(ipcChannel(name), input)]);
  // The transport answers with the result the handler produced for this operation's schema.
  return Object.fromEntries(entries) as Api;
}
