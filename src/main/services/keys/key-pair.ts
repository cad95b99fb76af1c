// Ed25519 key pairs on disk: the one place that creates, writes and reads private keys (`alog
// keygen`, the exporter key the app creates on first use, `alog gen --key`). A private key file is
// PKCS#8 PEM, created with mode 0600 and never over an existing file unless asked; its public half
// is written beside it as NAME.pub.pem (SPKI PEM), the file to hand to whoever must trust it. A key
// is never written inside an archive: whoever can rewrite an archive must not find a key there.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { DAY_FILE_PATTERN } from '../../../shared/seal';
import { keyIdOf } from '../seal/crypto';

export class KeyPairError extends Error {
  constructor(
    readonly kind: 'exists' | 'inside_archive' | 'not_ed25519' | 'unreadable' | 'not_a_folder',
    readonly filePath: string,
    message: string,
  ) {
    super(message);
    this.name = 'KeyPairError';
  }
}

export interface KeyPairFiles {
  keyId: string;
  privateKeyFile: string;
  publicKeyFile: string;
  publicKeyPem: string;
}

export function generateEd25519(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

/** The public key file written beside a private key file. */
export function publicKeyFileFor(privateKeyFile: string): string {
  return privateKeyFile.replace(/\.pem$/i, '') + '.pub.pem';
}

/** The folder itself or its parent (an archive's keys/ or digests/), when it holds day files: an archive. */
export async function archiveAround(dir: string): Promise<string | null> {
  let at = path.resolve(dir);
  for (let level = 0; level < 2; level++) {
    try {
      const names = await fs.readdir(at);
      if (names.some((n) => DAY_FILE_PATTERN.test(n)) || (names.includes('digests') && names.includes('keys'))) return at;
    } catch {
      // not there (yet) or unreadable: look further up
    }
    const up = path.dirname(at);
    if (up === at) return null;
    at = up;
  }
  return null;
}

/** Reads an Ed25519 private key (PKCS#8 PEM). */
export async function readPrivateKey(file: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new KeyPairError('unreadable', file, `cannot read the private key ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    throw new KeyPairError('not_ed25519', file, `${file} is not a PEM private key: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyPairError('not_ed25519', file, `${file}: expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

/**
 * Writes `privateKey` as DIR/NAME.pem (mode 0600) and its public half as DIR/NAME.pub.pem. Refuses
 * a folder inside an archive, and an existing key file unless `overwrite`.
 */
export async function writeKeyPair(dir: string, privateKey: KeyObject, opts: { name?: string; overwrite?: boolean } = {}): Promise<KeyPairFiles> {
  const folder = path.resolve(dir);
  const archive = await archiveAround(folder);
  if (archive) throw new KeyPairError('inside_archive', folder, `${folder} is inside the archive ${archive}: keep keys outside any archive`);
  await fs.mkdir(folder, { recursive: true, mode: 0o700 });
  const st = await fs.stat(folder);
  if (!st.isDirectory()) throw new KeyPairError('not_a_folder', folder, `${folder} is not a folder`);
  const name = opts.name ?? 'signing-key';
  const privateKeyFile = path.join(folder, `${name}.pem`);
  const publicKeyFile = publicKeyFileFor(privateKeyFile);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const flags = opts.overwrite ? 'w' : 'wx';
  try {
    // O_EXCL unless overwriting: never replace someone's key by accident, never follow a planted link.
    const handle = await fs.open(privateKeyFile, flags === 'wx' ? fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY : 'w', 0o600);
    try {
      await handle.writeFile(privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.writeFile(publicKeyFile, publicKeyPem, { flag: flags, mode: 0o644 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyPairError('exists', privateKeyFile, `${privateKeyFile} or its public key already exists; not replaced`);
    }
    throw e;
  }
  return { keyId: keyIdOf(publicKey), privateKeyFile, publicKeyFile, publicKeyPem };
}

/** A new random key pair in DIR (what `alog keygen` does). */
export async function createKeyPair(dir: string, opts: { name?: string; overwrite?: boolean } = {}): Promise<KeyPairFiles> {
  return writeKeyPair(dir, generateEd25519(), opts);
}

/** The key pair DIR/NAME.pem, created on first use; its public file is rewritten if it went missing. */
export async function ensureKeyPair(dir: string, name: string): Promise<KeyPairFiles & { privateKey: KeyObject; created: boolean }> {
  const privateKeyFile = path.join(path.resolve(dir), `${name}.pem`);
  try {
    await fs.access(privateKeyFile);
  } catch {
    const privateKey = generateEd25519();
    try {
      return { ...(await writeKeyPair(dir, privateKey, { name })), privateKey, created: true };
    } catch (e) {
      // Another process created it meanwhile: use theirs.
      if (!(e instanceof KeyPairError && e.kind === 'exists')) throw e;
    }
  }
  const privateKey = await readPrivateKey(privateKeyFile);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const publicKeyFile = publicKeyFileFor(privateKeyFile);
  try {
    await fs.access(publicKeyFile);
  } catch {
    await fs.writeFile(publicKeyFile, publicKeyPem, { mode: 0o644 });
  }
  return { keyId: keyIdOf(publicKey), privateKeyFile, publicKeyFile, publicKeyPem, privateKey, created: false };
}
