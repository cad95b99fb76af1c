// Verifiable exports: the manifest checks out on an untouched export (every format), and fails
// on a flipped byte, a dropped record (in the file or in the manifest), a forged or re-signed
// digest, a changed proof, an untrusted key, and on records the archive itself no longer vouches for.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeWithout } from '../../../src/shared/jcs';
import { EXPORT_FORMATS, type ExportManifest } from '../../../src/shared/export-manifest';
import { inclusionProof, leafHash, rootFromLeafHashes, toHex } from '../../../src/shared/merkle';
import { sha256 } from '../../../src/main/services/seal/crypto';
import { deriveSigningKey } from '../../../src/main/services/gen/generator';
import { signEd25519 } from '../../../src/main/services/seal/crypto';
import { DayMerkleTree } from '../../../src/main/services/export/merkle-tree';
import { verifyExport } from '../../../src/main/services/export/verify-export';
import type { ExportResult } from '../../../src/main/services/export/export-service';
import { ExportFixture } from './export-fixture';

const fx = new ExportFixture();
const exports = new Map<string, ExportResult>();
let copies = 0;

/** A copy of an export and its manifest under a new name, for tampering. */
async function copyExport(r: ExportResult): Promise<{ file: string; manifest: string; m: ExportManifest }> {
  const ext = path.extname(r.file);
  const file = path.join(fx.tmp, `tampered-${++copies}${ext}`);
  await cp(r.file, file);
  const m = JSON.parse(await readFile(r.manifest, 'utf8')) as ExportManifest;
  m.export.file = path.basename(file);
  const manifest = `${file}.manifest.json`;
  await writeFile(manifest, JSON.stringify(m, null, 2));
  return { file, manifest, m };
}

async function saveManifest(p: string, m: ExportManifest): Promise<void> {
  await writeFile(p, JSON.stringify(m, null, 2));
}

beforeAll(async () => {
  await fx.setup({ days: 3, perDay: 30, seed: 99 });
  for (const format of EXPORT_FORMATS) exports.set(format, await fx.export({ format, query: 'NOT status:blocked' }));
}, 90_000);
afterAll(() => fx.teardown());

describe('an untouched export verifies', () => {
  for (const format of EXPORT_FORMATS) {
    it(format, async () => {
      const r = exports.get(format)!;
      const v = await verifyExport(r.manifest, fx.trusted);
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.fileCheck.ok).toBe(true);
      expect(v.proofs.valid).toBe(r.report.records.exported);
      expect(v.digests.map((d) => d.status)).toEqual(['trusted', 'trusted', 'trusted']);
      expect(v.chain.ok).toBe(true);
      expect(v.rows.checked).toBe(format !== 'pdf');
      if (format !== 'pdf') expect(v.rows.ok).toBe(true);
    });
  }

  it('a manifest too large to read whole is read a record per line, with the same verdicts', async () => {
    for (const format of ['csv', 'jsonl'] as const) {
      const r = exports.get(format)!;
      const v = await verifyExport(r.manifest, fx.trusted, { wholeManifestBytes: 1 });
      expect(v.ok).toBe(true);
      expect(v.proofs.valid).toBe(r.report.records.exported);
    }
    const { manifest } = await copyExport(exports.get('jsonl')!);
    const lines = (await readFile(manifest, 'utf8')).split('\n');
    // The copy is pretty-printed (not line form): rewrite it as alog does, then break one proof.
    const m = JSON.parse(lines.join('\n')) as ExportManifest;
    const { records, ...header } = m;
    const head = JSON.stringify(header, null, 2);
    records[1]!.proof[0] = records[1]!.proof[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await writeFile(manifest, `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "records": [\n${records.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]\n}\n`);
    const v = await verifyExport(manifest, fx.trusted, { wholeManifestBytes: 1 });
    expect(v.ok).toBe(false);
    expect(v.proofs.invalid).toBe(1);
  });

  it('the manifest holds each day\'s digest verbatim, the selection and the profile\'s counts', async () => {
    const r = exports.get('csv')!;
    const m = JSON.parse(await readFile(r.manifest, 'utf8')) as ExportManifest;
    for (const day of m.archive.days) {
      const onDisk = JSON.parse(await readFile(path.join(fx.archive, 'digests', `activations-${day.date}.digest.json`), 'utf8'));
      expect(day.digest).toEqual(onDisk);
    }
    expect(m.selection).toEqual({ query: 'NOT status:blocked', from: null, to: null, order: 'archive' });
    expect(m.profile.name).toBe('external-auditor');
    expect(m.redaction.rules.find((x) => x.id === 'field:content_input.author.name')!.count).toBe(r.report.records.exported);
    expect(m.export.sha256).toBe(createHash('sha256').update(await readFile(r.file)).digest('hex'));
    expect(m.records.length).toBe(r.report.records.exported);
  });
});

describe('a changed export fails', () => {
  it('a flipped byte in the export file', async () => {
    for (const format of ['csv', 'xlsx', 'parquet', 'pdf'] as const) {
      const { file, manifest } = await copyExport(exports.get(format)!);
      const bytes = await readFile(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await writeFile(file, bytes);
      const v = await verifyExport(manifest, fx.trusted);
      expect(v.ok).toBe(false);
      expect(v.fileCheck.ok).toBe(false);
      expect(v.fileCheck.message).toMatch(/the file was changed/);
    }
  });

  it('a record dropped from the export file', async () => {
    const { file, manifest } = await copyExport(exports.get('jsonl')!);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.splice(4, 1);
    await writeFile(file, lines.join('\n'));
    const v = await verifyExport(manifest, fx.trusted);
    expect(v.ok).toBe(false);
    expect(v.fileCheck.ok).toBe(false);
    expect(v.rows.ok).toBe(false);
    expect(v.problems.join('\n')).toMatch(/the file holds \d+ row\(s\), the manifest proves \d+/);
  });

  it('a record dropped from the manifest, with or without fixing its counts', async () => {
    const { manifest, m } = await copyExport(exports.get('csv')!);
    m.records.splice(3, 1);
    await saveManifest(manifest, m);
    const v = await verifyExport(manifest, fx.trusted);
    expect(v.ok).toBe(false);
    // Either the count check or the row-order check may name the gap first; both point at it.
    expect(v.problems.join('\n')).toMatch(/lists \d+ record\(s\) but says the export holds \d+|record at row \d+ \(seq \d+\): out of place/);

    // Counts and row numbers made consistent: the file's rows still give it away.
    m.export.records = m.records.length;
    m.records.forEach((r, i) => (r.row = i));
    const day = m.archive.days.find((d) => d.date === m.records[3]!.date)!;
    day.exported--;
    await saveManifest(manifest, m);
    const v2 = await verifyExport(manifest, fx.trusted);
    expect(v2.ok).toBe(false);
    expect(v2.rows.ok).toBe(false);
  });

  it('a digest whose merkle_root was changed (signature no longer verifies)', async () => {
    const { manifest, m } = await copyExport(exports.get('csv')!);
    m.archive.days[1]!.digest!.merkle_root = 'ab'.repeat(32);
    await saveManifest(manifest, m);
    const v = await verifyExport(manifest, fx.trusted);
    expect(v.ok).toBe(false);
    expect(v.digests[1]!.status).toBe('signature_invalid');
    expect(v.problems.join('\n')).toMatch(/does NOT verify/);
  });

  it('a forged digest re-signed with another key (a forger\'s own key is never trusted)', async () => {
    const { manifest, m } = await copyExport(exports.get('csv')!);
    const forger = deriveSigningKey(424242);
    const day = m.archive.days[0]!;
    // The forger claims a different record at leaf 0 and builds a consistent digest for it.
    const victim = m.records.find((r) => r.date === day.date && r.leaf_index === 0);
    const { signature: _old, ...body } = day.digest!;
    const forgedBody = { ...body, key_id: 'f'.repeat(16) };
    day.digest = { ...forgedBody, signature: signEd25519(forger, canonicalize(forgedBody)) };
    if (victim) victim.record_hash = 'cd'.repeat(32);
    await saveManifest(manifest, m);
    const v = await verifyExport(manifest, fx.trusted);
    expect(v.ok).toBe(false);
    expect(v.digests[0]!.status).toBe('untrusted_key');
  });

  it('a changed record_hash or proof in the manifest', async () => {
    const { manifest, m } = await copyExport(exports.get('jsonl')!);
    m.records[2]!.record_hash = m.records[2]!.record_hash!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const withProof = m.records.find((r) => r.proof.length > 0 && r !== m.records[2])!;
    withProof.proof[0] = withProof.proof[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await saveManifest(manifest, m);
    const v = await verifyExport(manifest, fx.trusted);
    expect(v.ok).toBe(false);
    expect(v.proofs.invalid).toBeGreaterThanOrEqual(2);
    expect(v.problems.join('\n')).toMatch(/inclusion proof does not lead to the merkle_root/);
  });

  it('without the publisher\'s key nothing is proven', async () => {
    const v = await verifyExport(exports.get('csv')!.manifest, new Map());
    expect(v.ok).toBe(false);
    expect(v.digests.every((d) => d.status === 'untrusted_key')).toBe(true);
  });
});

describe('records the archive no longer vouches for', () => {
  async function tamperedCopy(edit: (lines: string[]) => void): Promise<string> {
    const dir = path.join(fx.tmp, `archive-copy-${++copies}`);
    await cp(fx.archive, dir, { recursive: true });
    const plain = fx.summary.files.find((f) => !f.file.endsWith('.gz'))!.file;
    const p = path.join(dir, plain);
    const lines = (await readFile(p, 'utf8')).split('\n');
    edit(lines);
    await writeFile(p, lines.join('\n'));
    return dir;
  }

  it('a record altered in place: exported, flagged, and the export does not verify', async () => {
    const dir = await tamperedCopy((lines) => {
      lines[1] = lines[1]!.replace('"title":"', '"title":"Altered: ');
    });
    const index = await fx.reopen(dir);
    const r = await fx.export({ format: 'jsonl' }, undefined, index);
    expect(r.report.records.contentMismatch).toBe(1);
    const v = await verifyExport(r.manifest, fx.trusted);
    expect(v.ok).toBe(false);
    expect(v.proofs.invalid).toBe(1);
    expect(v.problems.join('\n')).toMatch(/does not hash to its record_hash/);
  });

  it('a day re-sealed after an edit: its root differs from the signed digest, none of its records is proven', async () => {
    const dir = await tamperedCopy((lines) => {
      const rec = JSON.parse(lines[0]!) as Record<string, unknown>;
      (rec.content_input as Record<string, unknown>).title = 'Re-sealed';
      const integrity = rec.integrity as Record<string, unknown>;
      integrity.record_hash = createHash('sha256').update(canonicalizeWithout(rec, 'integrity')).digest('hex');
      lines[0] = JSON.stringify(rec);
    });
    const index = await fx.reopen(dir);
    const r = await fx.export({ format: 'csv' }, undefined, index);
    const day = r.report.archive.days.find((d) => !d.file.endsWith('.gz'))!;
    expect(day.rootMatches).toBe(false);
    expect(r.report.records.proven).toBe(r.report.records.exported - day.exported);
    const v = await verifyExport(r.manifest, fx.trusted);
    expect(v.ok).toBe(false);
    expect(v.proofs.invalid).toBe(day.exported);
  });

  it('an unsealed archive exports, but its manifest proves nothing', async () => {
    const u = new ExportFixture();
    await u.setup({ days: 1, perDay: 5, sealed: false });
    try {
      const r = await u.export({ format: 'jsonl' });
      expect(r.report.archive.sealed).toBe(false);
      const v = await verifyExport(r.manifest, new Map());
      expect(v.ok).toBe(false);
      expect(v.fileCheck.ok).toBe(true);
      expect(v.problems[0]).toMatch(/unsealed/);
    } finally {
      await u.teardown();
    }
  });
});

describe('day tree proofs', () => {
  it('equal the reference RFC 6962 audit paths of shared/merkle.ts for every leaf of trees of 1..70', () => {
    for (let n = 1; n <= 70; n++) {
      const hashes = Array.from({ length: n }, (_, i) => createHash('sha256').update(`leaf ${n} ${i}`).digest());
      const tree = new DayMerkleTree(hashes);
      const leaves = hashes.map((h) => leafHash(sha256, h));
      expect(tree.rootHex()).toBe(toHex(rootFromLeafHashes(sha256, leaves)));
      for (let i = 0; i < n; i++) expect(tree.proof(i)).toEqual(inclusionProof(sha256, leaves, i).map(toHex));
    }
  });

  it('property: for random sizes and leaves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.nat(), (n, k) => {
        const hashes = Array.from({ length: n }, (_, i) => createHash('sha256').update(`${k}:${i}`).digest());
        const leaves = hashes.map((h) => leafHash(sha256, h));
        const i = k % n;
        const tree = new DayMerkleTree(hashes);
        return tree.rootHex() === toHex(rootFromLeafHashes(sha256, leaves)) && tree.proof(i).join() === inclusionProof(sha256, leaves, i).map(toHex).join();
      }),
      { numRuns: 60 },
    );
  });
});
