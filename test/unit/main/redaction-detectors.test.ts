// The detectors and field rules, case by case: what must be found, what must be left alone
// (timestamps, versions, product names, cities), how structured fields and free text share
// pseudonyms, and that the redactor is pure and safe with hostile member names.
import { describe, expect, it } from 'vitest';
import { builtinProfile, resolveProfile, type RedactionProfile } from '../../../src/shared/redaction-profile';
import { Redactor } from '../../../src/main/services/redaction/redactor';
import { KnownIdentifiers, NameLexicon } from '../../../src/main/services/redaction/detectors';
import { KnownValueCollector } from '../../../src/main/services/redaction/known-values';
import { ibanValid, ipv6Valid, luhnValid } from '../../../src/main/services/redaction/checksums';
import { createRng, generateRecord } from '../../../src/main/services/gen/generator';

const auditor = (): Redactor => new Redactor(builtinProfile('external-auditor'));

function redact(text: string, r = auditor()): string {
  return r.redactText(text);
}

describe('check digits', () => {
  it('Luhn, IBAN mod-97, IPv6 grammar', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    for (const ok of ['2001:db8::1', '::1', '::', 'fe80::1:2', '2001:db8:0:0:0:0:2:1', '::ffff:192.0.2.128', '2001:db8::']) expect(ipv6Valid(ok)).toBe(true);
    for (const bad of ['10:00:00', 'aa:bb:cc:dd:ee:ff', '1::2::3', '2001:db8:0:0:0:0:2:1:9', '12345::1', 'cafe:babe']) expect(ipv6Valid(bad)).toBe(false);
  });
});

describe('free-text detectors (external-auditor)', () => {
  it('e-mail addresses', () => {
    expect(redact('Write to anna.mueller@example.com.')).toBe('Write to EMAIL_1.');
    expect(redact('(priya_patel42@mail.example), or Priya')).toMatch(/^\(EMAIL_1\), or PERSON_1$/);
  });

  it('phone numbers in the usual forms, and not dates, versions or counts', () => {
    for (const p of ['+1 415 555 0123', '(212) 555-0134', '+44 20 7946 0958', '+49 30 1234 5678', '+33 1 23 45 67 89', '+31 20 123 4567', '415-555-0123', '030 1234 5678', '+14155550123']) {
      expect(redact(`call ${p} now`)).toBe('call PHONE_1 now');
    }
    for (const keep of ['2026-11-20T08:15:02.123456Z', 'pipeline 3.15.0-rc.2', 'Join 77,785 subscribers', 'rated 4.6 out of 5', 'within 30000 ms (request 4f1c2a9b)', 'HTTP 429 rate limited', 'save 25% until 31/12/2026']) {
      expect(redact(keep)).toBe(keep);
    }
  });

  it('card numbers only when the Luhn check passes', () => {
    expect(redact('card 4111 1111 1111 1111, exp 04/29')).toBe('card [CARD], exp 04/29');
    expect(redact('card 4111-1111-1111-1111')).toBe('card [CARD]');
    expect(redact('card 4111111111111111')).toBe('card [CARD]');
    expect(redact('order 4111 1111 1111 1112')).toBe('order 4111 1111 1111 1112');
  });

  it('IBANs only when mod-97 passes, grouped or compact; the whole IBAN, not its digits as a card', () => {
    expect(redact('IBAN DE89 3704 0044 0532 0130 00 (ref 1)')).toBe('IBAN [IBAN] (ref 1)');
    expect(redact('to NL91ABNA0417164300.')).toBe('to [IBAN].');
    expect(redact('GB82 WEST 1234 5698 7654 32')).toBe('[IBAN]');
    expect(redact('DE89 3704 0044 0532 0130 01')).not.toContain('[IBAN]');
  });

  it('IPv4 and IPv6, not times, MAC addresses or versions', () => {
    expect(redact('from 192.0.2.44 and 2001:db8:1::1f:2e before')).toBe('from IP_1 and IP_2 before');
    expect(redact('via ::ffff:192.0.2.128')).toBe('via IP_1');
    for (const keep of ['at 10:00:00 today', 'MAC aa:bb:cc:dd:ee:ff', 'v1.2.3', '999.1.2.3', 'File "/app/x.py", line 12']) expect(redact(keep)).toBe(keep);
  });

  it('person names: given name and surname, particles, possessives, titles; not products or cities', () => {
    expect(redact('Hi Anna,')).toBe('Hi PERSON_1,');
    expect(redact('contact Lukas van der Berg at noon')).toBe('contact PERSON_1 at noon');
    expect(redact("Aisha O'Brien's team")).toBe("PERSON_1's team");
    expect(redact('ask Dr. Kowalski today')).toBe('ask Dr. PERSON_1 today');
    expect(redact('“I wore it every day,” says Chloé Dubois from Lyon.')).toBe('“I wore it every day,” says PERSON_1 from Lyon.');
    for (const keep of ['Meet the new Trail Runner X2 in Berlin', 'Black Friday: Nordic Wool Throw', 'Our Austin and Milan stores', 'Traceback (most recent call last):']) {
      expect(redact(keep)).toBe(keep);
    }
  });

  it('one person, one pseudonym: the structured author field and the same name in text', () => {
    const names = new NameLexicon();
    names.add('Xyzzy Quuxington', 'PERSON');
    const ids = new KnownIdentifiers();
    ids.add('usr_0123456789ab', 'USER');
    const r = new Redactor(builtinProfile('external-auditor'), { names, identifiers: ids });
    const out = r.redactRecord({
      content_input: { author: { name: 'Xyzzy Quuxington', email: 'x@example.com' }, body: 'Signed, Xyzzy Quuxington (usr_0123456789ab).' },
      processing_metadata: { user_id: 'usr_0123456789ab' },
    }) as { content_input: { author: { name: string }; body: string }; processing_metadata: { user_id: string } };
    expect(out.content_input.author.name).toBe('PERSON_1');
    expect(out.content_input.body).toBe('Signed, PERSON_1 (USER_1).');
    expect(out.processing_metadata.user_id).toBe('USER_1');
    // A surname the archive taught: found after any capitalized first word.
    expect(r.redactText('Zed Quuxington called')).toBe('PERSON_2 called');
  });
});

describe('field rules and the walk', () => {
  const profile = (extra: Partial<RedactionProfile>): RedactionProfile => ({ ...resolveProfile({ name: 't' }), ...extra });

  it('remove, mask, pseudonymize and keep, counted per rule; null is not a value', () => {
    const r = new Redactor(
      profile({
        fields: [
          { path: 'a', action: 'remove' },
          { path: 'b', action: 'mask', label: 'SECRET' },
          { path: 'c', action: 'pseudonymize', label: 'C' },
          { path: 'd', action: 'keep' },
          { path: 'list[].who', action: 'pseudonymize', label: 'WHO' },
          { path: '*.token', action: 'mask', label: 'TOKEN' },
        ],
      }),
    );
    const out = r.redactRecord({ a: 1, b: { x: 1 }, c: 'same', d: 'kept', e: null, list: [{ who: 'same' }, { who: 'other' }, { who: null }], x: { token: 't1' }, y: { token: 't2' } });
    expect(out).toEqual({ b: '[SECRET]', c: 'C_1', d: 'kept', e: null, list: [{ who: 'WHO_1' }, { who: 'WHO_2' }, { who: null }], x: { token: '[TOKEN]' }, y: { token: '[TOKEN]' } });
    const counts = Object.fromEntries(r.ruleCounts().map((c) => [c.id, c.count]));
    expect(counts).toEqual({ 'field:a': 1, 'field:b': 1, 'field:c': 1, 'field:list[].who': 2, 'field:*.token': 2 });
  });

  it('the seal is never touched, whatever the profile says', () => {
    const r = new Redactor(profile({ fields: [{ path: 'integrity', action: 'remove' }, { path: 'integrity.seq', action: 'mask', label: 'X' }] }));
    const integrity = { v: 1, seq: 4, record_hash: 'a'.repeat(64), chain_hash: 'b'.repeat(64) };
    expect(r.redactRecord({ integrity, n: 1 })).toEqual({ integrity, n: 1 });
  });

  it('scan and exclude choose where the detectors look', () => {
    const base = builtinProfile('external-auditor');
    const r = new Redactor({ ...base, text: { ...base.text, scan: ['notes'], exclude: ['notes.raw'] } });
    expect(r.redactRecord({ notes: { a: 'mail a@example.com', raw: 'mail b@example.com' }, other: 'mail c@example.com' })).toEqual({
      notes: { a: 'mail EMAIL_1', raw: 'mail b@example.com' },
      other: 'mail c@example.com',
    });
  });

  it('a profile pattern finds what the detectors do not know', () => {
    const r = new Redactor(resolveProfile({ name: 'p', extends: 'internal', patterns: [{ id: 'ticket', pattern: 'TCK-\\d{6}', action: 'mask', label: 'TICKET' }] }));
    expect(r.redactText('see TCK-123456 and TCK-654321')).toBe('see [TICKET] and [TICKET]');
    expect(r.ruleCounts().find((c) => c.id === 'pattern:ticket')!.count).toBe(2);
  });

  it('is pure: the input record is left as it was; in place gives the same result', () => {
    const { record } = generateRecord(createRng(8), { index: 1, atMicros: 1_763_600_000_000_000, bodyKb: 1 });
    const before = JSON.stringify(record);
    const copy = JSON.parse(before) as unknown;
    const a = new Redactor(builtinProfile('external-auditor'), { secret: new Uint8Array(32) }).redactRecord(record);
    expect(JSON.stringify(record)).toBe(before);
    const b = new Redactor(builtinProfile('external-auditor'), { secret: new Uint8Array(32) }).redactRecordInPlace(copy);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('a "__proto__" member stays a member, and no prototype is polluted', () => {
    const rec = JSON.parse('{"__proto__": {"polluted": "mail a@example.com"}, "x": 1}') as Record<string, unknown>;
    const out = auditor().redactRecord(rec) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":"mail EMAIL_1"},"x":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('known values collected from the selection', () => {
  it('from raw lines (only the holding members parsed) as from parsed records', () => {
    const rng = createRng(12);
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify(generateRecord(rng, { index: i, atMicros: 1_763_600_000_000_000 + i, bodyKb: 0.5 }).record));
    const profile = builtinProfile('external-auditor');
    const fromBytes = new KnownValueCollector(profile.known_values);
    const fromParsed = new KnownValueCollector(profile.known_values);
    for (const l of lines) {
      fromBytes.fromLineBytes(Buffer.from(l));
      fromParsed.fromRecord(JSON.parse(l));
    }
    expect(fromBytes.names.size).toBeGreaterThan(10);
    expect(fromBytes.names.size).toBe(fromParsed.names.size);
    expect(fromBytes.identifiers.size).toBe(fromParsed.identifiers.size);
    expect(fromBytes.identifiers.size).toBeGreaterThan(10);
  });
});
