// The verifier's Merkle tree and chain check on the WebAssembly module of assembly/seal.ts: the
// same RFC 6962 root and chain rule as src/shared/merkle.ts and chainNext, without an array per hash.
import { instantiateWasm, WASM_PAGE, type WasmMemory } from '../wasm';
import { SEAL_WASM_BASE64 } from './seal-wasm.generated';

interface SealExports {
  memory: WasmMemory;
  heapBase(): number;
  io(): number;
  out(): number;
  merkleStateBytes(): number;
  chainFollows(): number;
  merkleReset(state: number): void;
  merklePush(state: number): void;
  merkleRoot(state: number): void;
}

class SealModule {
  readonly e = instantiateWasm<SealExports>(SEAL_WASM_BASE64);
  u8 = new Uint8Array(this.e.memory.buffer);
  readonly io = this.e.io();
  readonly out = this.e.out();
  private readonly stateBytes = (this.e.merkleStateBytes() + 15) & ~15;
  private readonly free: number[] = [];
  private next = (this.e.heapBase() + 15) & ~15;

  /** A Merkle state region of its own for each file being verified (several can be in flight). */
  takeState(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const at = this.next;
    this.next += this.stateBytes;
    if (this.next > this.u8.length) {
      this.e.memory.grow(1 + Math.floor((this.next - this.u8.length) / WASM_PAGE));
      this.u8 = new Uint8Array(this.e.memory.buffer);
    }
    return at;
  }

  releaseState(at: number): void {
    this.free.push(at);
  }
}

let loaded: SealModule | undefined;

/** One day file's Merkle root and chain links. `release` when done: its state goes back to a pool. */
export class DaySealHasher {
  private readonly m = (loaded ??= new SealModule());
  private state = this.m.takeState();

  constructor() {
    this.m.e.merkleReset(this.state);
  }

  /** Adds the record hash as the tree's next leaf. */
  pushLeafInput(recordHash: Uint8Array): void {
    this.m.u8.set(recordHash, this.m.io + 32);
    this.m.e.merklePush(this.state);
  }

  /** Whether SHA-256(previousChainHash || recordHash) is chainHash. */
  chainFollows(previousChainHash: Uint8Array, recordHash: Uint8Array, chainHash: Uint8Array): boolean {
    const { u8, io } = this.m;
    u8.set(previousChainHash, io);
    u8.set(recordHash, io + 32);
    u8.set(chainHash, io + 64);
    return this.m.e.chainFollows() !== 0;
  }

  root(): Uint8Array {
    this.m.e.merkleRoot(this.state);
    return this.m.u8.slice(this.m.out, this.m.out + 32);
  }

  release(): void {
    if (this.state < 0) return;
    this.m.releaseState(this.state);
    this.state = -1;
  }
}
