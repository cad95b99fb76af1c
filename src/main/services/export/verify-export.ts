// Checks an export against its manifest, without the archive:
//   - the export file's SHA-256 and size are the manifest's;
//   - every involved day's digest is signed by a key the user trusts (a digest signed by any
//     other key proves nothing: whoever made the export could have made that key too);
//   - consecutive days' digests link (previous_digest);
//   - every record's RFC 6962 inclusion proof leads from its record_hash to its day's signed
//     merkle_root, at a leaf index that agrees with its seq;
//   - the file's rows carry, in order, exactly the (seq, record_hash) pairs the manifest proves;
//   - a signed manifest's exporter signature (over the file hash and every record) verifies under
//     a key the user trusts: the file is then the one exported, rows and cells unchanged;
//   - in a JSONL export of whole records, each record hashes back to its record_hash: its every
//     value is proven (redacted records, flagged in the manifest, cannot be);
//   - with the archive (`archive`), every exported cell against the archive's record after the
//     same redaction (export-compare.ts).
// Everything is reported, with what was proven and what was not in plain words; the result is ok
// only when everything it claims holds.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { canonicalize } from '../../../shared/jcs';
import { ExportManifest, ManifestRecord, signedManifestPart, type ManifestDay } from '../../../shared/export-manifest';
import { fromHex, verifyInclusion } from '../../../shared/merkle';
import type { Digest } from '../../../shared/seal';
import type { PublicKeyEntry } from '../keys/keys';
import { sha256 } from '../seal/crypto';
import { checkSignature } from '../verify/digests';
import { columnLabel } from '../../../shared/export-wizard';
import { verifyEd25519 } from '../seal/crypto';
import { compareWithArchive, type ArchiveComparison, type ExportedPlace } from './export-compare';
import { leafHashOf } from './merkle-tree';
import { ExportReadError, rowSeals } from './export-rows';
import { sha256OfFile } from '../seal/crypto';

export class ManifestUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestUnreadableError';
  }
}

export type DigestCheck = 'trusted' | 'untrusted_key' | 'signature_invalid' | 'missing';

export type ExporterCheck = 'trusted' | 'untrusted_key' | 'signature_invalid' | 'unsigned';

export interface VerifyExportReport {
  manifest: string;
  file: string;
  format: string;
  ok: boolean;
  fileCheck: { ok: boolean; message: string };
  digests: { date: string; keyId: string | null; status: DigestCheck; message: string }[];
  chain: { ok: boolean; message: string };
  proofs: { total: number; valid: number; invalid: number };
  rows: { checked: boolean; ok: boolean; message: string };
  /** The exporter's signature over the manifest (file hash and records included). */
  exporter: { status: ExporterCheck; operator: string | null; keyId: string | null; message: string };
  /** JSONL of whole records: records whose values hash back to their record_hash. */
  values: { checked: boolean; proven: number; redacted: number; changed: number; message: string };
  /** The cell-by-cell comparison with the archive, when it was given. */
  archive: ArchiveComparison | null;
  /** What holds, and what this check could not prove, in plain words. */
  proven: string[];
  notProven: string[];
  /** Every failure, in a sentence each (capped; `more` counts the rest). */
  problems: string[];
  more: number;
}

const MAX_PROBLEMS = 50;


/** A manifest read whole is fine up to this size; larger ones are read a record per line. */
const WHOLE_MANIFEST_BYTES = 64 * 1024 * 1024;

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(manifest)'}: ${i.message}`)
    .join('; ');
}

/**
 * The manifest's header and its records. Small manifests are parsed whole; large ones (a proof per
 * record adds up to ~1.3 KB per record) are read in the line form alog writes, one record per line,
 * so neither the text nor the proofs are ever all in memory.
 */
async function readManifest(manifestPath: string, wholeLimit: number): Promise<{ header: ExportManifestHeader; records: AsyncIterable<ManifestRecord> }> {
  let size: number;
  try {
    size = (await stat(manifestPath)).size;
  } catch (e) {
    throw new ManifestUnreadableError(`cannot read ${manifestPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (size <= wholeLimit) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(manifestPath, 'utf8'));
    } catch (e) {
      throw new ManifestUnreadableError(`${manifestPath} is not JSON: ${(e as Error).message}`);
    }
    const parsed = ExportManifest.safeParse(json);
    if (!parsed.success) throw new ManifestUnreadableError(`${manifestPath} is not an export manifest: ${describeIssues(parsed.error)}`);
    const { records, ...header } = parsed.data;
    return { header, records: (async function* () { yield* records; })() };
  }
  // Large: the header is every line before `"records": [`; then one record per line.
  const lines = createInterface({ input: createReadStream(manifestPath, { encoding: 'utf8' }), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const head: string[] = [];
  for (;;) {
    const next = await lines.next();
    if (next.done) throw new ManifestUnreadableError(`${manifestPath} is too large to read whole and is not in the line form alog writes`);
    if (/^\s*"records"\s*:\s*\[\s*$/.test(next.value)) break;
    head.push(next.value);
  }
  let headerJson: unknown;
  try {
    headerJson = JSON.parse(`${head.join('\n')} "records": [] }`);
  } catch (e) {
    throw new ManifestUnreadableError(`${manifestPath}: cannot read its header: ${(e as Error).message}`);
  }
  const parsed = ExportManifest.safeParse(headerJson);
  if (!parsed.success) throw new ManifestUnreadableError(`${manifestPath} is not an export manifest: ${describeIssues(parsed.error)}`);
  const { records: _none, ...header } = parsed.data;
  async function* records(): AsyncGenerator<ManifestRecord> {
    let n = 0;
    for (;;) {
      const next = await lines.next();
      if (next.done) throw new ManifestUnreadableError(`${manifestPath} ends inside its records`);
      const line = next.value.trim();
      if (line === ']' || line.startsWith(']')) return;
      n++;
      let rec: unknown;
      try {
        rec = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
      } catch (e) {
        throw new ManifestUnreadableError(`${manifestPath}: record ${n} is not JSON: ${(e as Error).message}`);
      }
      const r = ManifestRecord.safeParse(rec);
      if (!r.success) throw new ManifestUnreadableError(`${manifestPath}: record ${n} is not a manifest record: ${describeIssues(r.error)}`);
      yield r.data;
    }
  }
  return { header, records: records() };
}

export type ExportManifestHeader = Omit<ExportManifest, 'records'>;

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export async function verifyExport(
  manifestPath: string,
  trustedKeys: ReadonlyMap<string, PublicKeyEntry>,
  opts: {
    exportFile?: string;
    /** Manifests larger than this are read a record per line (tests lower it). */
    wholeManifestBytes?: number;
    /** The archive the export was made from: every exported cell is then compared with it. */
    archive?: string;
    signal?: AbortSignal;
  } = {},
): Promise<VerifyExportReport> {
  const { header: m, records } = await readManifest(manifestPath, opts.wholeManifestBytes ?? WHOLE_MANIFEST_BYTES);
  const problems: string[] = [];
  let more = 0;
  const problem = (s: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(s);
    else more++;
  };

  // 1. The export file.
  if (/[\\/]/.test(m.export.file) || m.export.file === '.' || m.export.file === '..') {
    throw new ManifestUnreadableError(`the manifest names the export file "${m.export.file}": only a file name beside the manifest is allowed`);
  }
  const file = opts.exportFile ?? path.join(path.dirname(path.resolve(manifestPath)), m.export.file);
  let fileCheck: VerifyExportReport['fileCheck'];
  try {
    const st = await stat(file);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    const d = await sha256OfFile(file);
    if (d.sha256 === m.export.sha256 && d.bytes === m.export.bytes) fileCheck = { ok: true, message: `SHA-256 ${d.sha256} and size ${d.bytes} bytes match` };
    else fileCheck = { ok: false, message: `the file hashes to ${d.sha256} (${d.bytes} bytes); the manifest says ${m.export.sha256} (${m.export.bytes} bytes): the file was changed` };
  } catch (e) {
    fileCheck = { ok: false, message: `cannot read the export file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}` };
  }
  if (!fileCheck.ok) problem(fileCheck.message);

  // 2. Digests and their signatures, under the user's trusted keys only.
  const byDate = new Map<string, { day: ManifestDay; usable: boolean }>();
  const digests: VerifyExportReport['digests'] = [];
  if (!m.archive.sealed) problem('the archive was unsealed: no record of this export can be proven');
  for (const day of m.archive.days) {
    if (byDate.has(day.date)) {
      problem(`the manifest lists ${day.date} twice`);
      continue;
    }
    const d = day.digest;
    if (!d) {
      digests.push({ date: day.date, keyId: null, status: 'missing', message: 'no digest: records of this day cannot be proven' });
      byDate.set(day.date, { day, usable: false });
      if (m.archive.sealed) problem(`${day.date}: no signed digest`);
      continue;
    }
    if (d.date !== day.date) problem(`${day.date}: the digest given for it is the one of ${d.date}`);
    const findings = checkSignature({ source: { name: `digest ${d.date}`, date: d.date, path: '' }, digest: d, findings: [] }, trustedKeys, new Map());
    const status: DigestCheck = findings.length === 0 ? 'trusted' : findings[0]!.kind === 'signature_invalid' ? 'signature_invalid' : 'untrusted_key';
    const message =
      status === 'trusted'
        ? `signature valid under trusted key ${d.key_id} (${trustedKeys.get(d.key_id)?.source ?? ''})`
        : status === 'signature_invalid'
          ? `signature does NOT verify under trusted key ${d.key_id}: the digest was altered`
          : `signed by key ${d.key_id}, which is not among the trusted keys (--trust-key): not proven`;
    digests.push({ date: day.date, keyId: d.key_id, status, message });
    if (status !== 'trusted') problem(`${day.date}: ${message}`);
    byDate.set(day.date, { day, usable: status === 'trusted' && d.date === day.date });
  }

  // 3. Links between consecutive days' digests.
  let chainBreaks = 0;
  const sorted = [...byDate.values()].map((v) => v.day).filter((d) => d.digest).sort((a, b) => (a.date < b.date ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (nextDate(prev.date) !== cur.date) continue;
    const expected = sha256Hex(canonicalize(prev.digest as Digest));
    if (cur.digest!.previous_digest !== expected) {
      chainBreaks++;
      problem(`${cur.date}: its digest does not link to the digest of ${prev.date} (previous_digest)`);
    }
  }
  const chain = { ok: chainBreaks === 0, message: chainBreaks === 0 ? 'consecutive days link' : `${chainBreaks} break(s)` };

  // 4. Inclusion proofs, record by record as the manifest is read (it can be large).
  let valid = 0;
  let invalid = 0;
  let total = 0;
  const exportedPerDay = new Map<string, number>();
  const seenSeq = new Set<number>();
  /** What each row of the file must carry, in order (seq, record_hash): all that is kept per record. */
  const expectedSeq: (number | null)[] = [];
  const expectedHash: (string | null)[] = [];
  /** Per record: redacted (true/false), unknown (older manifests), or altered in the archive. */
  const redactedOf: (boolean | undefined | 'altered')[] = [];
  const places: ExportedPlace[] = [];
  const recordsHash = createHash('sha256');
  for await (const r of records) {
    const i = total++;
    expectedSeq.push(r.seq);
    expectedHash.push(r.record_hash);
    redactedOf.push(r.problem && /record_hash/.test(r.problem) ? 'altered' : r.redacted);
    places.push({ date: r.date, line: r.line });
    recordsHash.update(canonicalize(r)).update('\n');
    exportedPerDay.set(r.date, (exportedPerDay.get(r.date) ?? 0) + 1);
    const where = `record at row ${r.row}${r.seq !== null ? ` (seq ${r.seq})` : ''}`;
    const fail = (why: string): void => {
      invalid++;
      problem(`${where}: ${why}`);
    };
    if (r.row !== i) {
      fail(`out of place: entry ${i} of the manifest names row ${r.row}`);
      continue;
    }
    if (r.problem) {
      fail(r.problem);
      continue;
    }
    if (r.seq !== null) {
      if (seenSeq.has(r.seq)) {
        fail('seq listed twice');
        continue;
      }
      seenSeq.add(r.seq);
    }
    const day = byDate.get(r.date);
    if (!day || !day.day.digest) {
      fail(`no digest for its day ${r.date}`);
      continue;
    }
    if (!day.usable) {
      fail(`its day's digest (${r.date}) is not signed by a trusted key`);
      continue;
    }
    const d = day.day.digest;
    if (r.record_hash === null || r.leaf_index === null) {
      fail('no record_hash or leaf index to prove');
      continue;
    }
    if (r.seq !== null && (d.first_seq === null || r.seq !== d.first_seq + r.leaf_index)) {
      fail(`seq ${r.seq} is not the seq of leaf ${r.leaf_index} of ${r.date} (${d.first_seq === null ? 'a day without records' : d.first_seq + r.leaf_index})`);
      continue;
    }
    let ok = false;
    try {
      ok = verifyInclusion(sha256, r.leaf_index, d.record_count, leafHashOf(fromHex(r.record_hash)), r.proof.map(fromHex), fromHex(d.merkle_root));
    } catch {
      ok = false;
    }
    if (!ok) {
      fail(`its inclusion proof does not lead to the merkle_root of ${r.date}: the record or the proof was changed`);
      continue;
    }
    valid++;
  }
  if (total !== m.export.records) problem(`the manifest lists ${total} record(s) but says the export holds ${m.export.records}`);
  for (const [date, v] of byDate) {
    const n = exportedPerDay.get(date) ?? 0;
    if (v.day.exported !== n) problem(`${date}: the manifest says ${v.day.exported} record(s) of this day were exported, it lists ${n}`);
  }

  // 4b. The exporter's signature: over the manifest without its records, whose hash it includes.
  let exporter: VerifyExportReport['exporter'];
  const by = m.exported_by;
  if (!m.signature || !by) {
    exporter = { status: 'unsigned', operator: null, keyId: null, message: 'the manifest is not signed by its exporter (an older or a CLI export without --key)' };
    if (m.signature || by || m.records_sha256) problem('the manifest has part of an exporter signature (exported_by, records_sha256 and signature go together): it was tampered with');
    const digestKeys = new Set(m.archive.days.map((d) => d.digest?.key_id).filter((k): k is string => typeof k === 'string'));
    const others = [...trustedKeys.keys()].filter((k) => !digestKeys.has(k));
    if (others.length > 0 && m.archive.days.length > 0) {
      problem(`you gave key(s) ${others.join(', ')}, which sign no digest of this export (an exporter's key?), but the manifest is not signed: it cannot be shown to be the one exported`);
    }
  } else {
    const key = trustedKeys.get(by.key_id);
    const hashOk = m.records_sha256 === recordsHash.digest('hex');
    let sigOk = false;
    if (key) {
      try {
        sigOk = verifyEd25519(key.key, canonicalize(signedManifestPart(m)), m.signature);
      } catch {
        sigOk = false;
      }
    }
    if (!key) {
      exporter = {
        status: 'untrusted_key',
        operator: by.operator,
        keyId: by.key_id,
        message: `signed by exporter key ${by.key_id} ("${by.operator}"), which is not among the trusted keys: pass --trust-key EXPORTER.pem, the exporter's public key obtained from them, to prove the file is the one exported`,
      };
      problem(exporter.message);
    } else if (!sigOk || !hashOk) {
      exporter = {
        status: 'signature_invalid',
        operator: by.operator,
        keyId: by.key_id,
        message: !sigOk
          ? `the exporter signature does NOT verify under trusted key ${by.key_id}: the manifest (the file's hash, the selection, the profile or a proof) was changed after the exporter signed it`
          : `the manifest's records were changed after the exporter signed them (their hash differs from records_sha256)`,
      };
      problem(exporter.message);
    } else {
      exporter = { status: 'trusted', operator: by.operator, keyId: by.key_id, message: `signed by "${by.operator}" with trusted exporter key ${by.key_id} (${key.source})` };
    }
  }

  // 5. The file's rows against the manifest's records (JSONL of whole records: each hashed back too).
  const wholeRecords = m.export.format === 'jsonl' && m.export.whole_records === true;
  let valuesProven = 0;
  let valuesRedacted = 0;
  let valuesChanged = 0;
  let rows: VerifyExportReport['rows'];
  const reader = fileCheck.ok || fileCheck.message.startsWith('the file hashes') ? rowSeals(file, m.export.format) : null;
  if (!reader) {
    rows = {
      checked: false,
      ok: fileCheck.ok,
      message: m.export.format === 'pdf' ? 'PDF rows are not read back; the file hash covers them' : 'not checked: the export file cannot be read',
    };
  } else {
    let n = 0;
    let mismatches = 0;
    try {
      for await (const s of reader) {
        if (n >= total) {
          n++;
          continue;
        }
        if (wholeRecords && s.recordHash !== null && s.recordHash === expectedHash[n]) {
          const r = redactedOf[n];
          if (s.contentHash === s.recordHash) valuesProven++;
          else if (r === true || r === 'altered' || (r === undefined && m.redaction.values_changed > 0)) valuesRedacted++;
          else {
            valuesChanged++;
            if (valuesChanged <= 5) problem(`row ${n} (seq ${s.seq}): its values are not the sealed record's: it hashes to ${s.contentHash?.slice(0, 16) ?? '(not a record)'}…, its record_hash is ${s.recordHash.slice(0, 16)}…; redaction did not touch it, so a value was changed after the export`);
          }
        }
        if (s.seq !== expectedSeq[n] || s.recordHash !== expectedHash[n]) {
          mismatches++;
          if (mismatches <= 5) problem(`row ${n} of the file carries seq ${s.seq}, record_hash ${s.recordHash?.slice(0, 16) ?? 'null'}…; the manifest proves seq ${expectedSeq[n]}, ${expectedHash[n]?.slice(0, 16) ?? 'null'}…`);
        }
        n++;
      }
      if (n !== total) {
        problem(`the file holds ${n} row(s), the manifest proves ${total}`);
        rows = { checked: true, ok: false, message: `${n} row(s) in the file, ${total} in the manifest` };
      } else rows = { checked: true, ok: mismatches === 0, message: mismatches === 0 ? `all ${n} row(s) carry the seq and record_hash the manifest proves` : `${mismatches} row(s) differ from the manifest` };
      if (mismatches > 5) more += mismatches - 5;
      if (valuesChanged > 5) more += valuesChanged - 5;
    } catch (e) {
      const why = e instanceof ExportReadError ? e.message : `the file cannot be read as ${m.export.format}: ${(e as Error).message}`;
      problem(why);
      rows = { checked: true, ok: false, message: why };
    }
  }

  const values: VerifyExportReport['values'] = !wholeRecords
    ? { checked: false, proven: 0, redacted: 0, changed: 0, message: m.export.format === 'jsonl' ? 'not whole records (--fields): values cannot be hashed back' : 'values of a table cannot be hashed back to the record' }
    : {
        checked: true,
        proven: valuesProven,
        redacted: valuesRedacted,
        changed: valuesChanged,
        message: `${valuesProven} of ${total} record(s) hash back to their record_hash${valuesRedacted > 0 ? `; ${valuesRedacted} redacted (not comparable without the archive)` : ''}${valuesChanged > 0 ? `; ${valuesChanged} CHANGED` : ''}`,
      };

  // 6. Every cell against the archive, when it is given.
  let archive: ArchiveComparison | null = null;
  if (opts.archive) {
    archive = await compareWithArchive({ archive: opts.archive, manifest: m, file, places, signal: opts.signal });
    if (!archive.checked) problem(`cannot compare with the archive: ${archive.message}`);
    for (const d of archive.differences) {
      problem(`${path.basename(file)} data row ${d.row + 1}${d.seq !== null ? ` (seq ${d.seq})` : ''}, column ${columnLabel(d.column.replace(/ \(text\)$/, ''))} (${d.column}): the export has ${d.exported}, the archive ${d.archive}`);
    }
    if (archive.differing > archive.differences.length) more += archive.differing - archive.differences.length;
  }

  const ok = problems.length === 0 && more === 0;
  const { proven, notProven } = statements({ m, fileCheck, digests, chain, proofs: { total, valid, invalid }, rows, exporter, values, archive });
  return {
    manifest: path.resolve(manifestPath),
    file,
    format: m.export.format,
    ok,
    fileCheck,
    digests,
    chain,
    proofs: { total, valid, invalid },
    rows,
    exporter,
    values,
    archive,
    proven,
    notProven,
    problems,
    more,
  };
}

/** What the checks proved and what they could not, in plain words. */
function statements(r: Pick<VerifyExportReport, 'fileCheck' | 'digests' | 'chain' | 'proofs' | 'rows' | 'exporter' | 'values' | 'archive'> & { m: ExportManifestHeader }): { proven: string[]; notProven: string[] } {
  const proven: string[] = [];
  const notProven: string[] = [];
  const { m } = r;
  const n = r.proofs.total;
  const digestsTrusted = r.digests.length > 0 && r.digests.every((d) => d.status === 'trusted');
  if (r.proofs.valid === n && n > 0 && digestsTrusted && r.chain.ok) {
    proven.push(`Rows genuine: each of the ${n} record(s) is in the publisher's signed archive, at the stated position of the stated day (inclusion proofs to digests signed by a trusted key).`);
  } else {
    notProven.push(`Rows genuine: ${r.proofs.valid} of ${n} record(s) proven against a digest signed by a trusted key.`);
  }
  if (r.rows.checked && r.rows.ok) proven.push('The file\'s rows are, in order, exactly the records the manifest proves (seq and record_hash of every row).');
  else if (!r.rows.checked) notProven.push(`Row by row: ${r.rows.message}.`);
  else notProven.push(`Row by row: ${r.rows.message}.`);
  if (r.exporter.status === 'trusted') {
    proven.push(`File unchanged since the exporter signed it: "${r.exporter.operator}" (key ${r.exporter.keyId}) signed the file's SHA-256, the selection, the profile and every record; every byte of the file is the one exported.`);
  } else if (r.exporter.status === 'unsigned') {
    notProven.push(
      r.fileCheck.ok
        ? 'File unchanged since export: the file matches the hash in the manifest, but the manifest is not signed by its exporter, so whoever edits the file can update the hash too. Cell values are therefore not proven (compare with the archive: --archive).'
        : 'File unchanged since export: the file does not match its manifest.',
    );
  } else notProven.push(`File unchanged since export: ${r.exporter.message}.`);
  if (r.values.checked) {
    if (r.values.proven === n && n > 0) proven.push(`Values: every record hashes back to its record_hash, so every value of the ${n} record(s) is the sealed one.`);
    else notProven.push(`Values: ${r.values.message}.`);
  } else if (r.exporter.status !== 'trusted' && !(r.archive?.checked && r.archive.differing === 0)) {
    notProven.push(`Values of the cells: ${r.values.message}; without the exporter's signature or the archive they are not proven.`);
  }
  if (r.archive) {
    if (r.archive.checked && r.archive.differing === 0) proven.push(`Cells: all ${r.archive.cells} exported cell(s) equal the archive's records after the same redaction (${r.archive.path}).`);
    else notProven.push(`Cells against the archive: ${r.archive.message}.`);
  }
  notProven.push(
    r.exporter.status === 'trusted'
      ? `Selection complete: the exporter signed this selection (query ${JSON.stringify(m.selection.query || '(all records)')}), but whether it holds every record the query selects in the archive can only be checked against the archive, by exporting the same selection again.`
      : 'Selection complete: not provable from the export alone; records dropped from both the file and an unsigned manifest leave a consistent, smaller export.',
  );
  notProven.push(`Redaction correct: the profile ${JSON.stringify(m.profile.name)} is stated in the manifest; whether it removed all personal data is not something a hash can prove.`);
  return { proven, notProven };
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
