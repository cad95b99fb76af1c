import { generateArchive } from '../../main/services/gen/generator';
import { UsageError, parseCommandLine } from '../cli-support';
import { formatBytes } from '../format';

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, not "${raw}"`);
  return n;
}

export async function runGen(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, {
    days: { type: 'string' },
    'per-day': { type: 'string' },
    seed: { type: 'string' },
    unsealed: { type: 'boolean' },
    'gzip-older': { type: 'boolean' },
    key: { type: 'string' },
    'body-kb': { type: 'string' },
    'end-date': { type: 'string' },
    overwrite: { type: 'boolean' },
  });
  const [out, ...extra] = parsed.positionals;
  if (!out || extra.length > 0) throw new UsageError('gen takes exactly one OUT folder');
  const v = parsed.values;
  const endDate = v['end-date'];
  if (endDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new UsageError('--end-date takes YYYY-MM-DD');
  const bodyKb = v['body-kb'] !== undefined ? Number(v['body-kb']) : undefined;
  if (bodyKb !== undefined && !(Number.isFinite(bodyKb) && bodyKb > 0)) throw new UsageError('--body-kb takes a positive size in KB');

  const summary = await generateArchive({
    out,
    days: positiveInt('days', v.days, 7),
    perDay: positiveInt('per-day', v['per-day'], 200, 0),
    seed: positiveInt('seed', v.seed, 1, 0),
    sealed: !v.unsealed,
    gzipOlder: Boolean(v['gzip-older']),
    keyDir: v.key,
    bodyKb,
    endDate,
    overwrite: Boolean(v.overwrite),
  });
  process.stdout.write(
    `wrote ${summary.records} record(s) in ${summary.files.length} day file(s), ${formatBytes(summary.uncompressedBytes)} uncompressed (${formatBytes(summary.bytes)} on disk), to ${out}` +
      (summary.keyId ? `\nsigned with key ${summary.keyId} (public key in ${out}/keys/${summary.keyId}.pem)` : '') +
      '\n',
  );
  return 0;
}
