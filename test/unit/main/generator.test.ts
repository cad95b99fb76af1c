import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeWithout } from '../../../src/shared/jcs';
import { merkleRoot, fromHex, toHex } from '../../../src/shared/merkle';
import { validateRecord, RECORD_TIMESTAMP_PATTERN, type ActivationRecord } from '../../../src/shared/record-schema';
import { CHAIN_GENESIS, Digest, integritySuffix, type Integrity } from '../../../src/shared/seal';
import { sha256 } from '../../../src/main/services/seal/crypto';
import {
  createRng,
  dayInstants,
  deriveSigningKey,
  formatMicros,
  generateArchive,
  generateRecord,
  type GenerateOptions,
  type GenerateSummary,
} from '../../../src/main/services/gen/generator';
import { ibanIsValid, luhnIsValid } from '../../../src/main/services/gen/personal-data';

const tmpRoot = mkdtempSync(path.join(tmpdir(), 'alog-gen-test-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));
let counter = 0;
function tmp(name: string): string {
  return path.join(tmpRoot, `${name}-${counter++}`);
}

const BASE: Omit<GenerateOptions, 'out'> = { days: 3, perDay: 40, seed: 1234, sealed: true, gzipOlder: true, bodyKb: 2 };

/** All files under `dir`, relative path -> bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return out;
}

function uncompressed(dir: string, file: string): Buffer {
  const raw = readFileSync(path.join(dir, file));
  return file.endsWith('.gz') ? gunzipSync(raw) : raw;
}

function lines(dir: string, file: string): string[] {
  const text = uncompressed(dir, file).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

const sha256Hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

describe('generateArchive (sealed, gzipped older days)', () => {
  const out = tmp('sealed');
  let summary: GenerateSummary;
  let dayFiles: string[];
  beforeAll(async () => {
    summary = await generateArchive({ ...BASE, out });
    dayFiles = summary.files.map((f) => f.file);
  });

  it('writes one file per UTC day ending at the default end date, older days gzipped', () => {
    expect(dayFiles).toEqual(['activations-2026-11-18.jsonl.gz', 'activations-2026-11-19.jsonl.gz', 'activations-2026-11-20.jsonl']);
    expect(summary.records).toBe(120);
    expect(readdirSync(path.join(out, 'keys'))).toEqual([`${summary.keyId}.pem`]);
    expect(readdirSync(path.join(out, 'digests')).sort()).toEqual(
      ['2026-11-18', '2026-11-19', '2026-11-20'].map((d) => `activations-${d}.digest.json`),
    );
    for (const f of summary.files) {
      expect(statSync(path.join(out, f.file)).size).toBe(f.bytes);
      expect(uncompressed(out, f.file).length).toBe(f.uncompressedBytes);
    }
  });

  it('gz days decompress to complete JSON lines', () => {
    for (const f of dayFiles.filter((n) => n.endsWith('.gz'))) {
      const raw = readFileSync(path.join(out, f));
      expect(raw[0]).toBe(0x1f);
      expect(raw[1]).toBe(0x8b);
      const ls = lines(out, f);
      expect(ls).toHaveLength(40);
      for (const l of ls) expect(() => JSON.parse(l) as unknown).not.toThrow();
    }
  });

  it('every record passes the schema, ids are unique, timestamps strictly increase within their day', () => {
    const ids = new Set<string>();
    for (const f of summary.files) {
      let previous = '';
      for (const l of lines(out, f.file)) {
        const r = JSON.parse(l) as ActivationRecord;
        expect(validateRecord(r)).toEqual([]);
        expect(ids.has(r.activation_id)).toBe(false);
        ids.add(r.activation_id);
        expect(r.timestamp).toMatch(RECORD_TIMESTAMP_PATTERN);
        expect(r.timestamp.slice(0, 10)).toBe(f.date);
        expect(r.timestamp > previous).toBe(true);
        previous = r.timestamp;
      }
    }
    expect(ids.size).toBe(120);
  });

  it('seals each line in the spec line form, with seq and chain running across days', () => {
    let chain = CHAIN_GENESIS;
    let seq = 0;
    for (const f of dayFiles) {
      for (const l of lines(out, f)) {
        const r = JSON.parse(l) as Record<string, unknown>;
        const integrity = r.integrity as Integrity;
        const canonical = canonicalizeWithout(r, 'integrity');
        expect(integrity.record_hash).toBe(sha256Hex(canonical));
        expect(l).toBe(canonical.slice(0, -1) + integritySuffix(integrity));
        chain = createHash('sha256').update(fromHex(chain)).update(fromHex(integrity.record_hash)).digest('hex');
        expect(integrity.chain_hash).toBe(chain);
        expect(integrity.seq).toBe(seq++);
      }
    }
  });

  it('digests are signed by the shipped key and match their files', () => {
    const publicKey = createPublicKey(readFileSync(path.join(out, 'keys', `${summary.keyId}.pem`), 'utf8'));
    expect(publicKey.asymmetricKeyType).toBe('ed25519');
    expect(sha256Hex(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16)).toBe(summary.keyId);
    let previous: Digest | null = null;
    let firstSeq = 0;
    for (const f of summary.files) {
      const digest = Digest.parse(JSON.parse(readFileSync(path.join(out, f.digest!), 'utf8')));
      const { signature, ...body } = digest;
      expect(verify(null, Buffer.from(canonicalize(body), 'utf8'), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
      // and not over anything else
      expect(verify(null, Buffer.from(canonicalize({ ...body, record_count: 1 }), 'utf8'), publicKey, Buffer.from(signature, 'base64'))).toBe(false);
      expect(digest.file).toBe(f.file);
      expect(digest.date).toBe(f.date);
      expect(digest.key_id).toBe(summary.keyId);
      const bytes = uncompressed(out, f.file);
      expect(digest.content_sha256).toBe(sha256Hex(bytes));
      const records = lines(out, f.file).map((l) => JSON.parse(l) as { integrity: Integrity });
      expect(digest.record_count).toBe(records.length);
      expect(digest.first_seq).toBe(firstSeq);
      expect(digest.last_seq).toBe(firstSeq + records.length - 1);
      expect(digest.chain_head).toBe(records[records.length - 1]!.integrity.chain_hash);
      expect(digest.merkle_root).toBe(toHex(merkleRoot(sha256, records.map((r) => fromHex(r.integrity.record_hash)))));
      expect(digest.previous_digest).toBe(previous ? sha256Hex(canonicalize(previous)) : null);
      previous = digest;
      firstSeq += records.length;
    }
  });

  it('plants personal data that really is in the archive', () => {
    const text = summary.files.map((f) => uncompressed(out, f.file).toString('utf8')).join('');
    const kinds = new Set(summary.planted.map((p) => p.kind));
    for (const k of ['name', 'email', 'phone', 'user_id', 'session_id', 'ipv4']) expect(kinds.has(k as never), k).toBe(true);
    for (const p of summary.planted) expect(text.includes(p.value), `${p.kind} ${p.value}`).toBe(true);
    expect(summary.plantedTruncated).toBe(false);
  });

  it('refuses to write over an existing archive unless told to', async () => {
    await expect(generateArchive({ ...BASE, out })).rejects.toThrow(/already holds an archive/);
    const again = await generateArchive({ ...BASE, out, overwrite: true });
    expect(again.keyId).toBe(summary.keyId);
  });
});

describe('determinism', () => {
  it('same options give byte-identical archives, signatures and key included', async () => {
    const a = tmp('det-a');
    const b = tmp('det-b');
    const keys = tmp('det-keys');
    const sa = await generateArchive({ ...BASE, out: a });
    const sb = await generateArchive({ ...BASE, out: b, keyDir: keys });
    const fa = snapshot(a);
    const fb = snapshot(b);
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name)!), name).toBe(true);
    expect(sa).toEqual({ ...sb, out: sa.out });
    // the derived key was written to keyDir and is what signed
    const pem = readFileSync(path.join(keys, 'signing-key.pem'), 'utf8');
    expect(pem).toMatch(/BEGIN PRIVATE KEY/);
    expect(pem).toBe(deriveSigningKey(BASE.seed).export({ type: 'pkcs8', format: 'pem' }));
  });

  it('a different seed gives different records and a different derived key', async () => {
    const a = tmp('seed-a');
    const b = tmp('seed-b');
    const sa = await generateArchive({ ...BASE, days: 1, out: a });
    const sb = await generateArchive({ ...BASE, days: 1, out: b, seed: BASE.seed + 1 });
    expect(sa.keyId).not.toBe(sb.keyId);
    expect(readFileSync(path.join(a, sa.files[0]!.file)).equals(readFileSync(path.join(b, sb.files[0]!.file)))).toBe(false);
  });

  it('uses the signing key found in keyDir', async () => {
    const keys = tmp('own-key');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    mkdirSync(keys, { recursive: true });
    writeFileSync(path.join(keys, 'signing-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const out = tmp('own-key-archive');
    const s = await generateArchive({ ...BASE, days: 1, out, keyDir: keys });
    const expectedId = sha256Hex(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
    expect(s.keyId).toBe(expectedId);
    expect(readFileSync(path.join(out, 'keys', `${expectedId}.pem`), 'utf8')).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
  });
});

describe('unsealed archive', () => {
  it('has plain lines without integrity and no digests or keys', async () => {
    const out = tmp('unsealed');
    const s = await generateArchive({ ...BASE, out, sealed: false, gzipOlder: false, days: 2 });
    expect(s.keyId).toBeNull();
    expect(readdirSync(out).sort()).toEqual(['activations-2026-11-19.jsonl', 'activations-2026-11-20.jsonl']);
    for (const f of s.files) {
      for (const l of lines(out, f.file)) {
        const r = JSON.parse(l) as Record<string, unknown>;
        expect(r.integrity).toBeUndefined();
        expect(validateRecord(r)).toEqual([]);
      }
    }
  });

  it('honours endDate and perDay 0', async () => {
    const out = tmp('empty');
    const s = await generateArchive({ ...BASE, out, days: 2, perDay: 0, endDate: '2024-03-01' });
    expect(s.files.map((f) => f.file)).toEqual(['activations-2024-02-29.jsonl.gz', 'activations-2024-03-01.jsonl']);
    expect(s.records).toBe(0);
    expect(uncompressed(out, s.files[0]!.file).length).toBe(0);
  });

  it('rejects nonsense options', async () => {
    await expect(generateArchive({ ...BASE, out: tmp('bad'), days: 0 })).rejects.toThrow(RangeError);
    await expect(generateArchive({ ...BASE, out: tmp('bad'), endDate: '2026-02-30' })).rejects.toThrow(RangeError);
    await expect(generateArchive({ ...BASE, out: tmp('bad'), seed: -1 })).rejects.toThrow(RangeError);
  });
});

describe('generateRecord', () => {
  const N = 3000;
  const rng = createRng(99);
  const start = Date.parse('2026-11-20T00:00:00Z') * 1000;
  const records = Array.from({ length: N }, (_, i) => generateRecord(rng, { index: i, atMicros: start + i * 10_000 }));
  const rs = records.map((g) => g.record);

  it('is a pure function of the generator state', () => {
    const a = generateRecord(createRng(5), { index: 3, atMicros: start });
    const b = generateRecord(createRng(5), { index: 3, atMicros: start });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('has realistic outcome ratios and consistent outcome details', () => {
    const count = (s: string): number => rs.filter((r) => r.platform_publishing.status === s).length / N;
    expect(count('published')).toBeGreaterThan(0.75);
    expect(count('published')).toBeLessThan(0.85);
    expect(count('failed')).toBeGreaterThan(0.07);
    expect(count('failed')).toBeLessThan(0.13);
    expect(count('blocked')).toBeGreaterThan(0.07);
    expect(count('blocked')).toBeLessThan(0.13);
    for (const r of rs) {
      const p = r.platform_publishing;
      if (p.status === 'blocked') {
        expect(r.brand_voice_analysis?.gate_passed).toBe(false);
        expect(r.brand_voice_analysis?.blocking_reason).toMatch(/below/);
        expect(p.attempts).toEqual([]);
        expect(p.campaign_id).toBeNull();
      }
      if (p.status === 'published') {
        expect(r.brand_voice_analysis?.gate_passed).toBe(true);
        expect(r.brand_voice_analysis?.blocking_reason).toBeNull();
        expect(p.campaign_id).not.toBeNull();
        expect(p.attempts[p.attempts.length - 1]?.status).toBe('succeeded');
        expect(r.quality_assessment?.success).toBe(true);
      }
      if (p.status === 'failed') {
        expect(r.errors?.length).toBeGreaterThan(0);
        expect(r.errors?.some((e) => e.severity === 'error' || e.severity === 'critical')).toBe(true);
        expect(r.quality_assessment?.success).toBe(false);
      }
      // retries back off exponentially
      const backoffs = p.attempts.map((a) => a.backoff_ms);
      if (backoffs.length > 0) expect(backoffs[0]).toBe(0);
      for (let i = 2; i < backoffs.length; i++) expect(backoffs[i]!).toBeGreaterThan(backoffs[i - 1]!);
      for (let i = 1; i < p.attempts.length; i++) expect(p.attempts[i]!.at > p.attempts[i - 1]!.at).toBe(true);
    }
    expect(rs.some((r) => r.platform_publishing.status === 'published' && r.platform_publishing.attempts.length > 1)).toBe(true);
  });

  it('writes multi-line stack traces on failures', () => {
    const errors = rs.flatMap((r) => r.errors ?? []);
    expect(errors.length).toBeGreaterThan(100);
    for (const e of errors) {
      expect(e.stack_trace.split('\n').length).toBeGreaterThan(3);
      expect(e.stack_trace).toContain(e.error_class);
    }
  });

  it('covers the providers, platforms and environments of the spec', () => {
    const set = (f: (r: ActivationRecord) => string | undefined): string[] => [...new Set(rs.map(f).filter((x) => x !== undefined))].sort();
    expect(set((r) => r.ai_enrichment?.provider)).toEqual(['local', 'mock', 'openai']);
    expect(set((r) => r.platform_publishing.platform)).toEqual(['braze', 'hubspot', 'klaviyo', 'mailchimp', 'mock']);
    expect(set((r) => r.processing_metadata?.environment)).toEqual(['development', 'production', 'staging']);
    expect(set((r) => r.content_input.content_type)).toEqual(
      expect.arrayContaining(['email_campaign', 'landing_page', 'push_notification', 'social_post']),
    );
    expect(set((r) => r.content_input.source)).toEqual(['contentful_live', 'manual']);
    expect(set((r) => r.content_input.locale).length).toBeGreaterThan(5);
  });

  it('prices tokens consistently', () => {
    for (const r of rs) {
      const ai = r.ai_enrichment;
      if (!ai) continue;
      if (ai.provider === 'openai') expect(ai.cost_usd).toBeGreaterThan(0);
      else expect(ai.cost_usd).toBe(0);
      if (ai.model === 'gpt-4o') {
        expect(ai.cost_usd).toBeCloseTo((ai.tokens.prompt * 2.5 + ai.tokens.completion * 10) / 1e6, 5);
      }
    }
  });

  it('has a skewed latency distribution with a long tail', () => {
    const t = rs.map((r) => r.performance_metrics!.total_ms).sort((a, b) => a - b);
    const p50 = t[Math.floor(N * 0.5)]!;
    const p99 = t[Math.floor(N * 0.99)]!;
    expect(p99 / p50).toBeGreaterThan(4);
    const mean = t.reduce((s, x) => s + x, 0) / N;
    expect(mean).toBeGreaterThan(p50);
  });

  it('puts personal data into free text: names, emails, phones, IPs, valid IBANs and card numbers', () => {
    const all = records.flatMap((g) => g.planted);
    for (const kind of ['name', 'email', 'phone', 'ipv4', 'ipv6', 'iban', 'card_number', 'user_id', 'session_id']) {
      expect(all.some((p) => p.kind === kind), kind).toBe(true);
    }
    for (const p of all) {
      if (p.kind === 'iban') expect(ibanIsValid(p.value), p.value).toBe(true);
      if (p.kind === 'card_number') expect(luhnIsValid(p.value), p.value).toBe(true);
    }
    for (const { record, planted } of records.slice(0, 200)) {
      // the body names its author
      expect(record.content_input.body).toContain(record.content_input.author.name);
      const text = JSON.stringify(record);
      for (const p of planted) expect(text).toContain(p.value);
    }
    const bodies = records.map((g) => g.record.content_input.body);
    expect(bodies.some((b) => /\b(?:\d{4} ){3}\d{4}\b/.test(b))).toBe(true);
    expect(bodies.some((b) => /[\w.]+@[\w.-]+\.\w+/.test(b.replace(/[\w.]+@acme-retail\.example/g, '')))).toBe(true);
  });

  it('sizes bodies by bodyKb and records in the spec range', () => {
    const meanBody = (kb: number): number => {
      const r = createRng(3);
      let total = 0;
      for (let i = 0; i < 300; i++) total += generateRecord(r, { index: i, atMicros: start, bodyKb: kb }).record.content_input.body.length;
      return total / 300;
    };
    const small = meanBody(1);
    const large = meanBody(16);
    expect(small).toBeGreaterThan(500);
    expect(small).toBeLessThan(2000);
    expect(large).toBeGreaterThan(small * 10);
    const sizes = rs.map((r) => Buffer.byteLength(JSON.stringify(r))).sort((a, b) => a - b);
    expect(sizes[N / 2]!).toBeGreaterThan(8_000);
    expect(sizes[Math.floor(N * 0.1)]!).toBeGreaterThan(4_000);
    expect(sizes[Math.floor(N * 0.99)]!).toBeLessThan(60_000);
  });
});

describe('timestamps', () => {
  it('formatMicros keeps six fractional digits', () => {
    expect(formatMicros(Date.parse('2026-11-20T08:15:02.123Z') * 1000 + 456)).toBe('2026-11-20T08:15:02.123456Z');
    expect(formatMicros(Date.parse('2026-11-20T00:00:00Z') * 1000)).toBe('2026-11-20T00:00:00.000000Z');
  });

  it('dayInstants are strictly increasing and inside the day, even when crowded', () => {
    const t = dayInstants(createRng(1), '2026-11-20', 50_000);
    const start = Date.parse('2026-11-20T00:00:00Z') * 1000;
    expect(t[0]!).toBeGreaterThanOrEqual(start);
    expect(t[t.length - 1]!).toBeLessThan(start + 86_400_000_000);
    for (let i = 1; i < t.length; i++) expect(t[i]! > t[i - 1]!).toBe(true);
  });
});
