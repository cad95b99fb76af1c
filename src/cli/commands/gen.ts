import { generateArchive } from '../../main/services/gen/generator';
import { checkPlantable, PLANTABLE_WARNINGS } from '../../main/services/gen/plant-warnings';
import { isCalendarDay } from '../../shared/checkpoint';
import { UsageError, parseCommandLine } from '../cli-support';
import { formatBytes } from '../format';

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, not "${raw}"`);
  return n;
}

/** A comma-separated list, without empty items. */
function list(raw: string | undefined): string[] {
  return raw === undefined ? [] : raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
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
    'empty-days': { type: 'string' },
    'plant-warnings': { type: 'string' },
  });
  const [out, ...extra] = parsed.positionals;
  if (!out || extra.length > 0) throw new UsageError('gen takes exactly one OUT folder');
  const v = parsed.values;
  const endDate = v['end-date'];
  if (endDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new UsageError('--end-date takes YYYY-MM-DD');
  const bodyKb = v['body-kb'] !== undefined ? Number(v['body-kb']) : undefined;
  if (bodyKb !== undefined && !(Number.isFinite(bodyKb) && bodyKb > 0)) throw new UsageError('--body-kb takes a positive size in KB');
  const emptyDays = list(v['empty-days']);
  for (const d of emptyDays) if (!isCalendarDay(d)) throw new UsageError(`--empty-days takes UTC days YYYY-MM-DD separated by commas, not "${d}"`);
  const plantWarnings = v['plant-warnings'] === 'all' ? [...PLANTABLE_WARNINGS] : list(v['plant-warnings']);
  try {
    checkPlantable(plantWarnings);
  } catch (e) {
    throw new UsageError(`--plant-warnings: ${(e as Error).message} (or all)`);
  }

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
    emptyDays,
    plantWarnings,
  });
  process.stdout.write(
    `wrote ${summary.records} record(s) in ${summary.files.length} day file(s), ${formatBytes(summary.uncompressedBytes)} uncompressed (${formatBytes(summary.bytes)} on disk), to ${out}` +
      (summary.keyId ? `\nsigned with key ${summary.keyId} (public key in ${out}/keys/${summary.keyId}.pem)` : '') +
      summary.plantedWarnings.map((w) => `\nplanted ${w.kind}${w.rule ? ` (${w.rule})` : ''} at ${w.file}:${w.line}`).join('') +
      '\n',
  );
  return 0;
}
