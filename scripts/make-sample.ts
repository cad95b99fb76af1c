// Regenerates the bundled sample archive (resources/sample-archive): 7 days x 200 records,
// sealed, older days gzipped, default seed, so the output is byte-identical on every run.
// The signing key is derived from the seed and never written under resources/: the sample ships
// only its public key (keys/<key_id>.pem). Pass --key-dir DIR to get the private key written there.
//   npx tsx scripts/make-sample.ts [--key-dir DIR]
import path from 'node:path';
import { DEFAULT_SEED, generateArchive } from '../src/main/services/gen/generator';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'resources', 'sample-archive');
const keyDirFlag = process.argv.indexOf('--key-dir');
const keyDir = keyDirFlag >= 0 ? process.argv[keyDirFlag + 1] : undefined;
if (keyDirFlag >= 0 && !keyDir) {
  console.error('usage: npx tsx scripts/make-sample.ts [--key-dir DIR]');
  process.exit(2);
}
if (keyDir && path.resolve(keyDir).startsWith(path.join(root, 'resources'))) {
  console.error('refusing to write the private key under resources/: it would ship with the app');
  process.exit(2);
}

async function main(): Promise<void> {
  const summary = await generateArchive({
    out,
    days: 7,
    perDay: 200,
    seed: DEFAULT_SEED,
    sealed: true,
    gzipOlder: true,
    keyDir,
    overwrite: true,
  });

  const kb = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;
  for (const f of summary.files) console.log(`${f.file.padEnd(34)} ${String(f.records).padStart(5)} records  ${kb(f.bytes).padStart(9)} (${kb(f.uncompressedBytes)} uncompressed)`);
  console.log(`${summary.records} records, ${kb(summary.bytes)} on disk, ${kb(summary.uncompressedBytes)} uncompressed`);
  console.log(`key_id ${summary.keyId ?? '-'}  public key ${summary.publicKeyFile ?? '-'}`);
  console.log(`${summary.planted.length} distinct personal-data values planted`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
