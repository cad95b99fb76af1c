import { promises as fs } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { keyIdOf, loadEd25519PublicKey } from '../seal/crypto';

export interface PublicKeyEntry {
  keyId: string;
  key: KeyObject;
  /** Where the key came from: a PEM file path, or the app's trusted-key store. */
  source: string;
}

export class KeyLoadError extends Error {
  constructor(readonly source: string, reason: string) {
    super(`cannot use key ${source}: ${reason}`);
    this.name = 'KeyLoadError';
  }
}

export function parsePublicKey(pem: string, source: string): PublicKeyEntry {
  try {
    const key = loadEd25519PublicKey(pem);
    return { keyId: keyIdOf(key), key, source };
  } catch (e) {
    throw new KeyLoadError(source, (e as Error).message);
  }
}

export async function loadPublicKeyFile(file: string): Promise<PublicKeyEntry> {
  let pem: string;
  try {
    pem = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new KeyLoadError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  return parsePublicKey(pem, file);
}
