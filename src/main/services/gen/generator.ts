// Writes a deterministic sample ActivationLog archive: same options => byte-identical files,
// signatures included (Ed25519 signing is deterministic). Day files are streamed with
// backpressure, so days of 100k records x 10 KB never sit in memory as one string.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DAY_FILE_PATTERN, DIGEST_FILE_PATTERN, type Digest } from '../../../shared/seal';
import { keyIdOf } from '../seal/crypto';
import { readPrivateKey, writeKeyPair } from '../keys/key-pair';
import { DaySealer, GENESIS, type ChainState } from '../seal/sealer';
import type { PlantedKind, PlantedValue } from './personal-data';
import { generateRecord } from './record';
import { WarningPlanter, type PlantedWarning } from './plant-warnings';
import { createRng, type Rng } from './rng';

export { generateRecord, formatMicros, type GeneratedRecord, type RecordContext } from './record';
export { createRng, type Rng } from './rng';
export type { PlantedKind, PlantedValue } from './personal-data';

export interface GenerateOptions {
  /** Archive directory; created if missing. */
  out: string;
  days: number;
  perDay: number;
  /** 32-bit unsigned seed. */
  seed: number;
  sealed: boolean;
  /** Gzip every day but the newest, as a rotating producer does. */
  gzipOlder: boolean;
  /** Where `signing-key.pem` is read from, or written to when it is not there yet. */
  keyDir?: string;
  /** Typical body size in KiB (default 8). */
  bodyKb?: number;
  /** Newest day, YYYY-MM-DD (default 2026-11-20, fixed so output does not depend on the clock). */
  endDate?: string;
  /** Replace an existing archive in `out` (only archive files are removed). Default: refuse. */
  overwrite?: boolean;
  /**
   * Days (YYYY-MM-DD, within the archive) with no records: each still gets its (empty) day file and
   * digest, as a producer writes one for every calendar day (completeness-erasure.md, section 1).
   */
  emptyDays?: readonly string[];
  /** Consistency warnings to plant, each once in the newest day with records (gen/plant-warnings.ts). */
  plantWarnings?: readonly string[];
}

export interface GeneratedFile {
  file: string;
  date: string;
  records: number;
  /** Size on disk (compressed for .gz). */
  bytes: number;
  uncompressedBytes: number;
  digest: string | null;
}

export interface GenerateSummary {
  out: string;
  files: GeneratedFile[];
  records: number;
  /** Total size on disk of the data files. */
  bytes: number;
  uncompressedBytes: number;
  /** key_id of the signing key, null for an unsealed archive. */
  keyId: string | null;
  /** Archive-relative path of the shipped public key, null when unsealed. */
  publicKeyFile: string | null;
  /** Distinct personal-data values written into the archive, in order of first appearance. */
  planted: PlantedValue[];
  /** True when the list reached PLANTED_LIMIT: values planted after that are not listed. */
  plantedTruncated: boolean;
  /** The records planted to raise a consistency warning, with their file and line. */
  plantedWarnings: PlantedWarning[];
}

export const DEFAULT_END_DATE = '2026-11-20';
export const DEFAULT_SEED = 20261120;
export const PLANTED_LIMIT = 50_000;
const SIGNING_KEY_FILE = 'signing-key.pem';
/** Day files are written in chunks of about this many bytes. */
const CHUNK_BYTES = 1 << 20;
// RFC 8410 PKCS#8 wrapping of a raw 32-byte Ed25519 private key.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function checkOptions(o: GenerateOptions): void {
  const positiveInt = (name: string, v: number, min: number): void => {
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  };
  positiveInt('days', o.days, 1);
  positiveInt('perDay', o.perDay, 0);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0..2^32-1, got ${o.seed}`);
  }
  if (o.bodyKb !== undefined && !(Number.isFinite(o.bodyKb) && o.bodyKb > 0)) {
    throw new RangeError(`bodyKb must be a positive number, got ${o.bodyKb}`);
  }
  const end = o.endDate ?? DEFAULT_END_DATE;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(end) || Number.isNaN(Date.parse(`${end}T00:00:00Z`)) || new Date(`${end}T00:00:00Z`).toISOString().slice(0, 10) !== end) {
    throw new RangeError(`endDate must be a calendar date YYYY-MM-DD, got ${end}`);
  }
  const dates = new Set(archiveDates(end, o.days));
  for (const d of o.emptyDays ?? []) {
    if (!dates.has(d)) throw new RangeError(`empty day ${d} is not one of the archive's days (${[...dates][0]} to ${end})`);
  }
}

/** The UTC dates of the archive, oldest first. */
export function archiveDates(endDate: string, days: number): string[] {
  const end = Date.parse(`${endDate}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** Ed25519 private key from 32 seed bytes. */
export function ed25519KeyFromSeed(seed32: Uint8Array): KeyObject {
  if (seed32.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed32]), format: 'der', type: 'pkcs8' });
}

/** The signing key the generator derives from a seed when none is supplied. */
export function deriveSigningKey(seed: number): KeyObject {
  return ed25519KeyFromSeed(createHash('sha256').update(`activationlog-inspector sample signing key v1:${seed}`).digest());
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function resolveSigningKey(seed: number, keyDir: string | undefined): Promise<KeyObject> {
  if (keyDir) {
    const file = path.join(keyDir, SIGNING_KEY_FILE);
    if (await exists(file)) return readPrivateKey(file);
  }
  const key = deriveSigningKey(seed);
  if (keyDir) await writeKeyPair(keyDir, key, { name: SIGNING_KEY_FILE.replace(/\.pem$/, '') });
  return key;
}

/** Refuses to mix with an existing archive; with `overwrite`, removes only archive files. */
async function prepareOut(out: string, overwrite: boolean): Promise<void> {
  await mkdir(out, { recursive: true });
  const stale: string[] = [];
  for (const name of await readdir(out)) {
    if (DAY_FILE_PATTERN.test(name)) stale.push(name);
  }
  for (const sub of ['digests', 'keys']) {
    const dir = path.join(out, sub);
    if (!(await exists(dir))) continue;
    for (const name of await readdir(dir)) {
      if ((sub === 'digests' && DIGEST_FILE_PATTERN.test(name)) || (sub === 'keys' && name.endsWith('.pem'))) stale.push(path.join(sub, name));
    }
  }
  if (stale.length === 0) return;
  if (!overwrite) throw new Error(`${out} already holds an archive (${stale[0]!}${stale.length > 1 ? `, ${stale.length - 1} more` : ''}); pass overwrite to replace it`);
  for (const rel of stale) await rm(path.join(out, rel));
}

// Activity follows office hours (UTC), with a quiet night.
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 12, 12, 11, 9, 7, 6, 5, 4, 3, 2];

/** Strictly increasing micro-second instants within the UTC day `date`. */
export function dayInstants(rng: Rng, date: string, count: number): Float64Array {
  const dayStart = Date.parse(`${date}T00:00:00Z`) * 1000;
  const dayEnd = dayStart + 86_400_000_000 - 1;
  const cumulative: number[] = [];
  let total = 0;
  for (const w of HOUR_WEIGHTS) cumulative.push((total += w));
  const t = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const r = rng.next() * total;
    let hour = 0;
    while (cumulative[hour]! <= r) hour++;
    t[i] = dayStart + hour * 3_600_000_000 + Math.floor(rng.next() * 3_600_000_000);
  }
  t.sort();
  for (let i = 1; i < count; i++) if (t[i]! <= t[i - 1]!) t[i] = t[i - 1]! + 1;
  if (count > 0 && t[count - 1]! > dayEnd) {
    t[count - 1] = dayEnd;
    for (let i = count - 2; i >= 0; i--) if (t[i]! >= t[i + 1]!) t[i] = t[i + 1]! - 1;
  }
  return t;
}

class PlantedSet {
  readonly values: PlantedValue[] = [];
  private readonly seen = new Set<string>();
  truncated = false;

  add(p: PlantedValue): void {
    // Past the cap nothing more is listed, so memory and time stay bounded for huge archives.
    if (this.truncated) return;
    const key = `${p.kind}\u0000${p.value}`;
    if (this.seen.has(key)) return;
    if (this.values.length >= PLANTED_LIMIT) {
      this.truncated = true;
      return;
    }
    this.seen.add(key);
    this.values.push(p);
  }
}

export async function generateArchive(opts: GenerateOptions): Promise<GenerateSummary> {
  checkOptions(opts);
  const endDate = opts.endDate ?? DEFAULT_END_DATE;
  const dates = archiveDates(endDate, opts.days);
  const privateKey = opts.sealed ? await resolveSigningKey(opts.seed, opts.keyDir) : null;
  await prepareOut(opts.out, opts.overwrite ?? false);
  if (opts.sealed) {
    await mkdir(path.join(opts.out, 'digests'), { recursive: true });
    await mkdir(path.join(opts.out, 'keys'), { recursive: true });
  }

  const planted = new PlantedSet();
  const empty = new Set(opts.emptyDays ?? []);
  const recordsOn = (date: string) => (empty.has(date) ? 0 : opts.perDay);
  // Warnings are planted in the newest day that has records.
  const plantDay = [...dates].reverse().find((d) => recordsOn(d) > 0);
  const planter = opts.plantWarnings?.length ? new WarningPlanter(opts.plantWarnings) : undefined;
  if (planter && !plantDay) throw new RangeError('planting warnings needs a day with records');
  const files: GeneratedFile[] = [];
  let state: ChainState = GENESIS;
  let index = 0;
  for (let d = 0; d < dates.length; d++) {
    const date = dates[d]!;
    const gz = opts.gzipOlder && d < dates.length - 1;
    const fileName = `activations-${date}.jsonl${gz ? '.gz' : ''}`;
    // One generator per day: a day's records do not depend on how many days came before.
    const rng = createRng(opts.seed, d + 1, Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    const instants = dayInstants(rng, date, recordsOn(date));
    const dayStart = Date.parse(`${date}T00:00:00Z`) * 1000;
    const planting = date === plantDay ? planter : undefined;
    const sealer = opts.sealed ? new DaySealer(fileName, date, state) : null;
    const firstIndex = index;
    let uncompressed = 0;

    function* chunks(): Generator<Buffer> {
      let pending: string[] = [];
      let pendingBytes = 0;
      for (let i = 0; i < instants.length; i++) {
        const { record, planted: p } = generateRecord(rng, { index: firstIndex + i, atMicros: instants[i]!, bodyKb: opts.bodyKb });
        for (const v of p) planted.add(v);
        planting?.plant(record, fileName, i + 1, { index: i, count: instants.length, instants, dayStart });
        const line = sealer ? sealer.sealLine(record) : `${JSON.stringify(record)}\n`;
        pending.push(line);
        pendingBytes += line.length;
        if (pendingBytes >= CHUNK_BYTES) {
          const buf = Buffer.from(pending.join(''), 'utf8');
          uncompressed += buf.length;
          yield buf;
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pending.length > 0) {
        const buf = Buffer.from(pending.join(''), 'utf8');
        uncompressed += buf.length;
        yield buf;
      }
    }

    const target = path.join(opts.out, fileName);
    const source = Readable.from(chunks(), { objectMode: false });
    if (gz) await pipeline(source, createGzip(), createWriteStream(target));
    else await pipeline(source, createWriteStream(target));
    index += instants.length;
    if (planting && planting.pending.length > 0) {
      throw new RangeError(`could not plant ${planting.pending.join(', ')}: no record of ${date} fits; generate more records per day`);
    }

    let digestName: string | null = null;
    if (sealer && privateKey) {
      const { digest, next } = sealer.digest(privateKey);
      digestName = `activations-${date}.digest.json`;
      await writeFile(path.join(opts.out, 'digests', digestName), `${JSON.stringify(digest satisfies Digest, null, 2)}\n`);
      state = next;
    }
    files.push({
      file: fileName,
      date,
      records: instants.length,
      bytes: (await stat(target)).size,
      uncompressedBytes: uncompressed,
      digest: digestName ? `digests/${digestName}` : null,
    });
  }

  let keyId: string | null = null;
  let publicKeyFile: string | null = null;
  if (privateKey) {
    const publicKey = createPublicKey(privateKey);
    keyId = keyIdOf(publicKey);
    publicKeyFile = `keys/${keyId}.pem`;
    await writeFile(path.join(opts.out, publicKeyFile), publicKey.export({ type: 'spki', format: 'pem' }));
  }

  return {
    out: opts.out,
    files,
    records: index,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    uncompressedBytes: files.reduce((s, f) => s + f.uncompressedBytes, 0),
    keyId,
    publicKeyFile,
    planted: planted.values,
    plantedTruncated: planted.truncated,
    plantedWarnings: planter?.planted ?? [],
  };
}

export const PLANTED_KINDS: readonly PlantedKind[] = [
  'name',
  'email',
  'phone',
  'ipv4',
  'ipv6',
  'iban',
  'card_number',
  'user_id',
  'session_id',
];
