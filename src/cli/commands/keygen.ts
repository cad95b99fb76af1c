// `alog keygen DIR [--name NAME] [--overwrite]`: a new Ed25519 key pair, DIR/NAME.pem (private,
// mode 0600) and DIR/NAME.pub.pem (public: hand it to whoever checks what the key signs).
import { KeyPairError, createKeyPair } from '../../main/services/keys/key-pair';
import { UsageError, parseCommandLine } from '../cli-support';
import { safeForTerminal } from '../format';

export async function runKeygen(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, { name: { type: 'string' }, overwrite: { type: 'boolean' }, json: { type: 'boolean' } });
  const [dir, ...extra] = parsed.positionals;
  if (!dir || extra.length > 0) throw new UsageError('keygen takes exactly one DIR');
  const name = parsed.values.name ?? 'signing-key';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) || name.endsWith('.pem')) throw new UsageError('--name takes a file name without folder or .pem (letters, digits, . _ -)');
  try {
    const k = await createKeyPair(dir, { name, overwrite: parsed.values.overwrite ?? false });
    if (parsed.values.json) process.stdout.write(JSON.stringify({ key_id: k.keyId, private_key: k.privateKeyFile, public_key: k.publicKeyFile }, null, 2) + '\n');
    else {
      process.stdout.write(
        `key ${k.keyId}\n` +
          `private key: ${safeForTerminal(k.privateKeyFile)} (mode 0600: keep it secret)\n` +
          `public key:  ${safeForTerminal(k.publicKeyFile)} (give it to whoever checks what this key signs)\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof KeyPairError) {
      process.stderr.write(`alog: ${safeForTerminal(e.message)}${e.kind === 'exists' ? ' (pass --overwrite to replace it)' : ''}\n`);
      return 2;
    }
    throw e;
  }
}
