// Pseudonyms: HMAC-SHA256(secret, label + NUL + value) identifies a value without revealing it;
// each distinct HMAC gets the next number of its label (PERSON_1, PERSON_2, ...) in the order the
// export meets them. The secret is random per export and never written anywhere, so the labels
// cannot be traced back to values by anyone holding the export, and two exports cannot be joined.
import { randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

/** Bound on the value -> label memo; past it, labels are found again through their HMAC. */
const MEMO_LIMIT = 200_000;

export class Pseudonymizer {
  private readonly byHmac = new Map<string, string>();
  private readonly next = new Map<string, number>();
  /** label -> value -> pseudonym: a value seen before costs two map lookups, no HMAC. */
  private readonly memo = new Map<string, Map<string, string>>();
  private memoSize = 0;

  private readonly hmac: HmacSha256;

  constructor(secret: Uint8Array = randomBytes(32)) {
    if (secret.length < 16) throw new RangeError('the pseudonym secret must be at least 16 bytes');
    this.hmac = new HmacSha256(secret);
  }

  /** 128 bits of HMAC-SHA256(secret, label NUL value), as an 8-character map key (a collision needs ~2^64 values). */
  private key(label: string, value: string): string {
    const d = this.hmac.digest(`${label}\u0000${value}`);
    let k = '';
    for (let i = 0; i < 16; i += 2) k += String.fromCharCode((d[i]! << 8) | d[i + 1]!);
    return k;
  }

  /** `LABEL_n` for this value; the same (label, value) always gets the same n in one export. */
  label(label: string, value: string): string {
    let perLabel = this.memo.get(label);
    const hit = perLabel?.get(value);
    if (hit !== undefined) return hit;
    const mac = this.key(label, value);
    let out = this.byHmac.get(mac);
    if (out === undefined) {
      const n = (this.next.get(label) ?? 0) + 1;
      this.next.set(label, n);
      out = `${label}_${n}`;
      this.byHmac.set(mac, out);
    }
    if (this.memoSize >= MEMO_LIMIT) {
      this.memo.clear();
      this.memoSize = 0;
      perLabel = undefined;
    }
    if (!perLabel) this.memo.set(label, (perLabel = new Map()));
    perLabel.set(value, out);
    this.memoSize++;
    return out;
  }

  /** Distinct values pseudonymized so far, per label. */
  distinct(): Record<string, number> {
    return Object.fromEntries([...this.next.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
}
