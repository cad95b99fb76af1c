// Instantiates the project's WebAssembly modules (assembly/*.ts, embedded as base64 by
// scripts/build-wasm.mjs). They import nothing and export their memory.

// The few WebAssembly APIs used (the Node typings carry no WebAssembly declarations).
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };

export const WASM_PAGE = 65536;

export function instantiateWasm<T extends { memory: WasmMemory }>(base64: string): T {
  const module = new wasm.Module(Buffer.from(base64, 'base64'));
  return new wasm.Instance(module, {}).exports as T;
}
