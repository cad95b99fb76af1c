// Property tests: whatever text surrounds them, values in the formats the generator plants
// (e-mails, phone numbers, Luhn-valid card numbers, mod-97-valid IBANs, IPv4/IPv6, person names)
// never survive the default profile's free-text redaction; the same value always gets the same
// pseudonym; and the HMAC behind pseudonyms is HMAC-SHA256.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinProfile } from '../../../src/shared/redaction-profile';
import { Redactor } from '../../../src/main/services/redaction/redactor';
import { HmacSha256 } from '../../../src/main/services/redaction/hmac-sha256';
import { createRng, type Rng } from '../../../src/main/services/gen/rng';
import { cardNumber, iban, ipv4, ipv6, person, phoneNumber } from '../../../src/main/services/gen/personal-data';

type Maker = (rng: Rng) => string;
const MAKERS: Record<string, Maker> = {
  email: (rng) => person(rng).email,
  phone: phoneNumber,
  card: cardNumber,
  iban,
  ipv4,
  ipv6,
  name: (rng) => person(rng).name,
};

/** Surrounding text: anything at all, ending and starting at a separator, as values sit in prose. */
const filler = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', 'Call', 'contact:', 'IBAN', 'card no.', '(', '"', 'Dear', 'Hi', '—', 'From', 'Mr.', 'ünïcødé'),
);
const sep = fc.constantFrom(' ', '\n', ', ', ' (', '\t', ': ', ' "', ' — ');
const endSep = fc.constantFrom(' ', '\n', ', ', ') ', '.', '!', ' "', '; ', '');

const redactor = new Redactor(builtinProfile('external-auditor'));

for (const [kind, make] of Object.entries(MAKERS)) {
  describe(`${kind}`, () => {
    it(`never survives, whatever surrounds it`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffffffff }), filler, sep, endSep, filler, fc.integer({ min: 1, max: 3 }), (seed, before, s1, s2, after, copies) => {
          const rng = createRng(seed);
          const values = Array.from({ length: copies }, () => make(rng));
          const text = `${before}${s1}${values.join(`${s2}and${s1}`)}${s2}${after}`;
          const out = redactor.redactText(text);
          for (const v of values) {
            if (out.includes(v)) throw new Error(`"${v}" survived in ${JSON.stringify(out)} (input ${JSON.stringify(text)})`);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
}

describe('pseudonyms', () => {
  it('one value, one pseudonym, within an export; different values, different pseudonyms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (s1, s2) => {
        const r = new Redactor(builtinProfile('external-auditor'));
        const a = person(createRng(s1)).email;
        const b = person(createRng(s2)).email;
        const x = r.redactText(`write to ${a} or ${b}`);
        const y = r.redactText(`again: ${a}, then ${b}.`);
        const labels = (t: string) => [...t.matchAll(/EMAIL_\d+/g)].map((m) => m[0]);
        expect(labels(x)).toEqual(labels(y));
        if (a.toLowerCase() !== b.toLowerCase()) expect(labels(x)[0]).not.toBe(labels(x)[1]);
      }),
      { numRuns: 100 },
    );
  });

  it('the keyed hash is HMAC-SHA256 (checked against node:crypto)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 100 }), fc.string({ unit: 'grapheme', maxLength: 300 }), (key, msg) => {
        const ours = Buffer.from(new HmacSha256(key).digest(msg)).toString('hex');
        return ours === createHmac('sha256', key).update(msg, 'utf8').digest('hex');
      }),
      { numRuns: 300 },
    );
  });
});
