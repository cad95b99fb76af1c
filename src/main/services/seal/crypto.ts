import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Sha256 } from '../../../shared/merkle';
import { sha256 as sha256Small } from '../../../shared/sha256';

/**
 * SHA-256 for the seal's small inputs (Merkle leaves and nodes, chain links), in the shape the
 * shared Merkle code takes: plain JS, because a native Hash object per 33-65 bytes costs more
 * than the hashing.
 */
export const sha256: Sha256 = sha256Small;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) and size of a whole file, streamed. */
export async function sha256OfFile(p: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** key_id of the spec: first 16 hex chars of SHA-256 over the public key's SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return sha256Hex(der).slice(0, 16);
}

/** Parses a PEM public key (or the public half of a PEM private key) and checks it is Ed25519. */
export function loadEd25519PublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`expected an Ed25519 public key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}

export function signEd25519(privateKey: KeyObject, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64');
}

export function verifyEd25519(publicKey: KeyObject, message: string, signatureBase64: string): boolean {
  const sig = Buffer.from(signatureBase64, 'base64');
  if (sig.length !== 64) return false;
  return verify(null, Buffer.from(message, 'utf8'), publicKey, sig);
}
