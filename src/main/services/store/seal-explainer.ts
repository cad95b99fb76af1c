import type { Finding } from '../../../shared/findings';
import { CanonicalizationError, canonicalizeWithout } from '../../../shared/jcs';
import { inclusionProof, leafHash, rootFromInclusionProof, toHex } from '../../../shared/merkle';
import type { SealExplanation } from '../../../shared/record-detail';
import { CHAIN_GENESIS, Integrity } from '../../../shared/seal';
import type { ArchiveLayout, DayFile } from '../archive/layout';
import type { ArchiveIndex } from '../index/archive-index';
import type { PublicKeyEntry } from '../keys/keys';
import { sha256, sha256Hex } from '../seal/crypto';
import { chainNext } from '../seal/sealer';
import type { DaySeal } from '../verify/day-seal';
import { checkSignature, loadDigest, type LoadedDigest } from '../verify/digests';
import type { WorkerPool } from '../workers/worker-pool';

/** Day files whose seal is kept in memory (about 100 bytes per record each). */
const DAYS_CACHED = 4;

interface CachedDay {
  seal: Promise<DaySeal>;
  /** Leaf hashes of the tree the producer signed, built on first use. */
  signedLeaves?: Uint8Array[];
}

export interface ExplainInput {
  layout: ArchiveLayout;
  dayFile: DayFile;
  line: number;
  /** The parsed line, when it is a JSON object. */
  record: Record<string, unknown> | undefined;
  trusted: ReadonlyMap<string, PublicKeyEntry>;
  shipped: ReadonlyMap<string, PublicKeyEntry>;
  /** The open index, for the previous day's chain head. */
  index: ArchiveIndex | undefined;
}

/**
 * Explains one record's seal: its hash recomputed, its link in the chain, and its Merkle inclusion
 * proof against the day's signed digest. The day's leaves come from the verifier's own pass over
 * that one file (in a worker), kept for the last few days asked about.
 */
export class SealExplainer {
  readonly #days = new Map<string, CachedDay>();

  constructor(private readonly pool: WorkerPool) {}

  /** The verifier's pass over one day file, from the cache while the file is unchanged. */
  #day(dayFile: DayFile, archiveSealed: boolean): CachedDay {
    const key = `${dayFile.name}\0${dayFile.size}\0${dayFile.mtimeMs}\0${archiveSealed}`;
    let day = this.#days.get(key);
    if (day) {
      // Most recently used last.
      this.#days.delete(key);
      this.#days.set(key, day);
      return day;
    }
    const seal = this.pool.run({ kind: 'daySeal', path: dayFile.path, file: dayFile.name, gzip: dayFile.gzip, archiveSealed });
    day = { seal };
    seal.catch(() => this.#days.delete(key));
    this.#days.set(key, day);
    while (this.#days.size > DAYS_CACHED) this.#days.delete(this.#days.keys().next().value!);
    return day;
  }

  /** Findings of the day's pass that name this line. */
  async lineFindings(dayFile: DayFile, archiveSealed: boolean, line: number): Promise<Finding[]> {
    const seal = await this.#day(dayFile, archiveSealed).seal;
    return seal.findings.filter((f) => f.line === line);
  }

  async explain(input: ExplainInput): Promise<{ seal: SealExplanation; findings: Finding[] }> {
    const { layout, dayFile, line, record } = input;
    const archiveSealed = layout.digests.length > 0;
    const cached = this.#day(dayFile, archiveSealed);
    const day = await cached.seal;
    const findings = day.findings.filter((f) => f.line === line);
    const notes: string[] = [];
    if (!day.complete) notes.push('The gzip stream of this day file breaks off, so the day cannot be fully verified.');

    const integrityMember = record === undefined ? undefined : Object.hasOwn(record, 'integrity') ? record.integrity : undefined;
    const parsedSeal = Integrity.safeParse(integrityMember);
    const claimed = parsedSeal.success ? parsedSeal.data : undefined;
    const status: SealExplanation['status'] = claimed ? 'sealed' : integrityMember === undefined ? 'unsealed' : 'malformed';
    if (record === undefined) notes.push('The line is not a JSON record, so it has no seal and no place in the day\'s tree.');
    else if (status === 'malformed') notes.push('The integrity member is present but is not a valid seal.');
    else if (status === 'unsealed') notes.push(archiveSealed ? 'The record carries no seal although the archive is sealed.' : 'The archive is unsealed: its records carry no seal to check.');

    const leaf = leafIndexOf(day, line);
    let computed: string | null = null;
    if (leaf !== undefined) computed = toHex(day.computed.subarray(leaf * 32, leaf * 32 + 32));
    else if (record !== undefined) computed = recordHash(record);

    const digest = await this.#digest(layout, dayFile, input.trusted, input.shipped, notes);

    return {
      findings,
      seal: {
        status,
        seq: claimed?.seq ?? null,
        recordHash: {
          claimed: claimed?.record_hash ?? null,
          computed,
          matches: claimed && computed !== null ? claimed.record_hash === computed : null,
        },
        chain: claimed ? await this.#chain(input, day, leaf, claimed) : null,
        merkle: leaf === undefined ? null : this.#merkle(cached, day, leaf, digest.loaded?.digest?.merkle_root ?? null),
        digest: digest.explanation,
        notes,
      },
    };
  }

  async #chain(input: ExplainInput, day: DaySeal, leaf: number | undefined, claimed: Integrity): Promise<NonNullable<SealExplanation['chain']>> {
    let previous: ChainPredecessor | null = null;
    // The verifier links each sealed record to the sealed record before it in the file.
    if (leaf !== undefined) {
      for (let j = leaf - 1; j >= 0; j--) {
        if (day.sealed[j] !== 1) continue;
        previous = {
          hash: toHex(day.chains.subarray(j * 32, j * 32 + 32)),
          source: 'previous_record',
          file: day.file,
          line: day.lines[j]!,
          seq: day.seqs[j]!,
        };
        break;
      }
    }
    previous ??= await previousDayHead(input);
    return {
      claimed: claimed.chain_hash,
      previous: previous?.hash ?? null,
      previousSource: previous?.source ?? null,
      previousFile: previous?.file ?? null,
      previousLine: previous?.line ?? null,
      previousSeq: previous?.seq ?? null,
      computed: previous ? chainNext(previous.hash, claimed.record_hash) : null,
      matches: previous ? chainNext(previous.hash, claimed.record_hash) === claimed.chain_hash : null,
    };
  }

  /**
   * The audit path of the record's leaf in the tree the producer signed. The other leaves are the
   * record hashes the lines claim (recomputed only where a line claims none), and this record's
   * leaf is its recomputed hash: so the proof holds exactly when this content is what was signed,
   * whatever happened to other records of the day.
   */
  #merkle(cached: CachedDay, day: DaySeal, leaf: number, digestRoot: string | null): NonNullable<SealExplanation['merkle']> {
    cached.signedLeaves ??= signedLeafHashes(day);
    const leaves = cached.signedLeaves;
    const proof = inclusionProof(sha256, leaves, leaf);
    const own = leafHash(sha256, day.computed.subarray(leaf * 32, leaf * 32 + 32));
    const root = toHex(rootFromInclusionProof(sha256, leaf, leaves.length, own, proof));
    return {
      leafIndex: leaf,
      treeSize: leaves.length,
      leafHash: toHex(own),
      proof: proof.map(toHex),
      computedRoot: root,
      digestRoot,
      verified: digestRoot !== null && root === digestRoot,
    };
  }

  async #digest(
    layout: ArchiveLayout,
    dayFile: DayFile,
    trusted: ReadonlyMap<string, PublicKeyEntry>,
    shipped: ReadonlyMap<string, PublicKeyEntry>,
    notes: string[],
  ): Promise<{ loaded?: LoadedDigest; explanation: SealExplanation['digest'] }> {
    const source = layout.digests.find((d) => d.date === dayFile.date);
    if (!source) {
      if (layout.digests.length === 0) return { explanation: null };
      return {
        explanation: { name: `activations-${dayFile.date}.digest.json`, keyId: null, signature: 'missing', keyTrusted: false, message: 'This day file has no signed digest.' },
      };
    }
    const loaded = await loadDigest(source);
    const d = loaded.digest;
    if (!d) {
      return {
        loaded,
        explanation: { name: source.name, keyId: null, signature: 'malformed', keyTrusted: false, message: loaded.findings[0]?.message ?? 'not a valid digest' },
      };
    }
    if (d.file !== dayFile.name) notes.push(`The digest names the data file ${d.file}, not ${dayFile.name}.`);
    const problems = checkSignature(loaded, trusted, shipped);
    const keyTrusted = trusted.has(d.key_id);
    const problem = problems[0];
    let signature: NonNullable<SealExplanation['digest']>['signature'] = 'valid';
    if (problem?.kind === 'signature_invalid') signature = 'invalid';
    else if (problem?.kind === 'untrusted_key') signature = shipped.has(d.key_id) ? 'untrusted_key' : 'unknown_key';
    const message = problem?.message ?? `The signature verifies under trusted key ${d.key_id}.`;
    return { loaded, explanation: { name: source.name, keyId: d.key_id, signature, keyTrusted, message } };
  }
}

function leafIndexOf(day: DaySeal, line: number): number | undefined {
  let lo = 0;
  let hi = day.lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const l = day.lines[mid]!;
    if (l < line) lo = mid + 1;
    else if (l > line) hi = mid - 1;
    else return mid;
  }
  return undefined;
}

function signedLeafHashes(day: DaySeal): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < day.lines.length; i++) {
    const source = day.sealed[i] === 1 ? day.claimed : day.computed;
    out.push(leafHash(sha256, source.subarray(i * 32, i * 32 + 32)));
  }
  return out;
}

function recordHash(record: Record<string, unknown>): string | null {
  try {
    return sha256Hex(canonicalizeWithout(record, 'integrity'));
  } catch (e) {
    if (e instanceof CanonicalizationError) return null;
    throw e;
  }
}

/**
 * The chain hash a day's first sealed record links to: the last one of the nearest earlier day
 * with records (from the index), else the chain start when there is no earlier day.
 */
async function previousDayHead(input: ExplainInput): Promise<ChainPredecessor | null> {
  const genesis: ChainPredecessor = { hash: CHAIN_GENESIS, source: 'genesis', file: null, line: null, seq: null };
  const date = input.dayFile.date;
  if (!input.layout.dayFiles.some((f) => f.date < date)) return genesis;
  if (input.index) {
    const segments = input.index.segments.filter((s) => s.file.date < date);
    for (let k = segments.length - 1; k >= 0; k--) {
      const tail = segments[k]!.segment.header.verify.tail;
      if (tail) return { hash: tail.chainHash, source: 'previous_file', file: segments[k]!.file.name, line: tail.line, seq: tail.seq };
    }
    return genesis;
  }
  // Without the index: the chain head the previous day's digest signed.
  const source = input.layout.digests.filter((d) => d.date < date).at(-1);
  const digest = source ? (await loadDigest(source)).digest : undefined;
  return digest ? { hash: digest.chain_head, source: 'previous_digest', file: source!.name, line: null, seq: digest.last_seq } : null;
}

interface ChainPredecessor {
  hash: string;
  source: NonNullable<NonNullable<SealExplanation['chain']>['previousSource']>;
  file: string | null;
  line: number | null;
  seq: number | null;
}

