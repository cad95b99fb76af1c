// Random sealed archives for the index/query tests: realistic records from the generator, then
// mutated (odd case, wrong types, missing sections, escapes, duplicates) and written in a mix of
// line forms (canonical sealed lines for the raw scanner, re-serialized lines for the JSON path),
// plain and gzip. Every record is also kept parsed, with its place, for brute-force answers.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { deriveSigningKey, generateRecord, createRng, type Rng } from '../../../src/main/services/gen/generator';
import { DaySealer, GENESIS, type ChainState } from '../../../src/main/services/seal/sealer';

export interface PlacedRecord {
  record: Record<string, unknown>;
  /** The line's text (what free text searches). */
  text: string;
  file: string;
  line: number;
  /** Position in the whole archive (files in date order, then lines). */
  position: number;
}

export interface RandomArchive {
  dir: string;
  records: PlacedRecord[];
  files: string[];
}

const ODD_VALUES: unknown[] = [5, '', 'FAILED', 'Published', 'ünïcødé', 'quote"and\\slash', 'tab\tline', null, true, ['a'], { x: 1 }];

function pickFrom<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function setPath(obj: Record<string, unknown>, p: string, v: unknown): void {
  const parts = p.split('.');
  let cur: Record<string, unknown> = obj;
  for (const k of parts.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) return;
    cur = next as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = v;
}

const MUTABLE_PATHS = [
  'platform_publishing.status',
  'platform_publishing.platform',
  'ai_enrichment.provider',
  'ai_enrichment.model',
  'ai_enrichment.cost_usd',
  'ai_enrichment.tokens.prompt',
  'performance_metrics.total_ms',
  'brand_voice_analysis.gate_passed',
  'quality_assessment.success',
  'quality_assessment.overall_quality_score',
  'content_input.locale',
  'content_input.content_type',
  'processing_metadata.environment',
  'processing_metadata.host',
  'suitable_for_training',
  'timestamp',
];

/** Applies 0-3 random mutations to a record. */
function mutate(rng: Rng, rec: Record<string, unknown>): void {
  const n = Math.floor(rng.next() * 4);
  for (let i = 0; i < n; i++) {
    const kind = Math.floor(rng.next() * 8);
    switch (kind) {
      case 0: {
        // change case of a keyword
        const p = pickFrom(rng, ['platform_publishing.status', 'ai_enrichment.provider', 'platform_publishing.platform', 'content_input.locale']);
        const [a, b] = p.split('.') as [string, string];
        const sec = rec[a] as Record<string, unknown> | undefined;
        if (sec && typeof sec[b] === 'string') sec[b] = (sec[b] as string).toUpperCase();
        break;
      }
      case 1:
        setPath(rec, pickFrom(rng, MUTABLE_PATHS), pickFrom(rng, ODD_VALUES));
        break;
      case 2:
        delete rec[pickFrom(rng, ['ai_enrichment', 'errors', 'brand_voice_analysis', 'performance_metrics', 'quality_assessment', 'validation_results'])];
        break;
      case 3:
        rec.errors = pickFrom(rng, [
          'oops',
          [1, null, { error_class: 'X' }],
          [
            { error_class: 'ProviderTimeoutError', severity: 'error' },
            { error_class: 'ProviderTimeoutError', severity: 'WARNING' },
          ],
          [{ error_class: 'Weird"Class', severity: 'info' }],
        ]);
        break;
      case 4:
        rec.timestamp = pickFrom(rng, ['2026-11-19T08:00:00Z', 'not a time', '2026-11-19T23:59:59.999999Z', 12]);
        break;
      case 5:
        rec.extra_field = { nested: [1, 2, { deep: 'Berlin' }], note: 'unknown members are kept' };
        break;
      case 6:
        setPath(rec, 'ai_enrichment.cost_usd', Math.round(rng.next() * 1000) / 1e5);
        break;
      default:
        setPath(rec, 'performance_metrics.total_ms', Math.round(rng.next() * 50_000) / 10);
    }
  }
}

/** Writes a random sealed archive of `days` files with about `perDay` records each. */
/** `mutate` is the share of records mutated (0 keeps the archive in time order, as producers write it). */
export async function writeRandomArchive(dir: string, seed: number, days: number, perDay: number, mutateShare = 0.5): Promise<RandomArchive> {
  const rng = createRng(seed, 99);
  const key = deriveSigningKey(seed);
  await mkdir(path.join(dir, 'digests'), { recursive: true });
  let state: ChainState = GENESIS;
  const records: PlacedRecord[] = [];
  const files: string[] = [];
  let index = 0;
  for (let d = 0; d < days; d++) {
    const date = `2026-11-${String(10 + d).padStart(2, '0')}`;
    const gz = d < days - 1 && rng.next() < 0.6;
    const file = `activations-${date}.jsonl${gz ? '.gz' : ''}`;
    const sealer = new DaySealer(file, date, state);
    const count = Math.max(1, perDay + Math.floor((rng.next() - 0.5) * perDay));
    const dayStart = Date.parse(`${date}T00:00:00Z`) * 1000;
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const at = dayStart + Math.floor(((i + rng.next()) / count) * 86_400_000_000);
      const { record } = generateRecord(rng, { index: index++, atMicros: at, bodyKb: 0.3 });
      const rec = record as Record<string, unknown>;
      if (rng.next() < mutateShare) mutate(rng, rec);
      let line = sealer.sealLine(rec).slice(0, -1);
      // Some lines re-serialized (keys in another order): sealed, but not in the raw line form.
      if (rng.next() < 0.15) {
        const obj = JSON.parse(line) as Record<string, unknown>;
        const reordered = Object.fromEntries(Object.entries(obj).reverse());
        line = JSON.stringify(reordered);
      }
      lines.push(line);
      records.push({ record: JSON.parse(line) as Record<string, unknown>, text: line, file, line: i + 1, position: records.length });
    }
    const bytes = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
    await writeFile(path.join(dir, file), gz ? gzipSync(bytes) : bytes);
    const { digest, next } = sealer.digest(key);
    await writeFile(path.join(dir, 'digests', `activations-${date}.digest.json`), JSON.stringify(digest));
    state = next;
    files.push(file);
  }
  return { dir, records, files };
}
