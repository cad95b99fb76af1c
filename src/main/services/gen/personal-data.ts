// Fake personal data for generated records: names, emails, phone numbers, IP addresses, IBANs and
// card numbers that look and validate like real ones (IBAN mod-97, Luhn), so redaction can be
// tested against them. Domains and IP ranges are the reserved documentation ones.
import { createRng, digits, hex, int, pick, type Rng } from './rng';

export type PlantedKind =
  | 'name'
  | 'email'
  | 'phone'
  | 'ipv4'
  | 'ipv6'
  | 'iban'
  | 'card_number'
  | 'user_id'
  | 'session_id';

export interface PlantedValue {
  kind: PlantedKind;
  value: string;
}

export interface Person {
  first: string;
  last: string;
  name: string;
  email: string;
}

export interface Author extends Person {
  userId: string;
}

const FIRST_NAMES = [
  'Anna', 'Lukas', 'Sofia', 'Mateo', 'Emma', 'Noah', 'Chloé', 'Jürgen', 'Zoë', 'Łukasz',
  'Aisha', 'Kenji', 'Priya', 'Oliver', 'Marta', 'Søren', 'Fatima', 'Diego', 'Hannah', 'Liam',
  'Mei', 'Olga', 'Tomás', 'Inês', 'Yusuf', 'Elena', 'Björn', 'Amélie', 'Rahul', 'Grace',
  'Niamh', 'Karim', 'Ingrid', 'Pablo', 'Yuki', 'Chidi', 'Freya', 'Mohammed', 'Lea', 'Dmitri',
] as const;

const LAST_NAMES = [
  'Müller', 'Schmidt', 'García', 'Rossi', 'Dubois', 'Nowak', 'Jensen', 'Tanaka', 'Patel', "O'Brien",
  'Kowalski', 'van der Berg', 'Silva', 'Andersson', 'Novák', 'Fischer', 'Martin', 'Okafor', 'Chen', 'Haddad',
  'Ivanova', 'Moreau', 'Costa', 'Nielsen', 'Rahman', 'Kim', 'Weber', 'López', 'Bianchi', 'Murphy',
  'Schneider', 'Hernández', 'Lindqvist', 'Yilmaz', 'Adeyemi', 'Sato', 'Kaur', 'Brennan', 'Petrov', 'Duarte',
] as const;

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'northwind.example'] as const;
const BRAND_DOMAIN = 'acme-retail.example';

const localParts = new Map<string, string>();

function asciiLocalPart(s: string): string {
  let cached = localParts.get(s);
  if (cached === undefined) {
    cached = toAscii(s);
    localParts.set(s, cached);
  }
  return cached;
}

function toAscii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export function person(rng: Rng, domain?: string): Person {
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const style = int(rng, 0, 3);
  const f = asciiLocalPart(first);
  const l = asciiLocalPart(last);
  const local = style === 0 ? `${f}.${l}` : style === 1 ? `${f[0]}${l}` : style === 2 ? `${f}_${l}${int(rng, 1, 99)}` : `${f}${l[0]}`;
  return { first, last, name: `${first} ${last}`, email: `${local}@${domain ?? pick(rng, EMAIL_DOMAINS)}` };
}

/** The brand's content editors: a fixed staff list, the same in every generated archive. */
export const AUTHORS: readonly Author[] = (() => {
  const rng = createRng(0x5eed_a07b);
  const out: Author[] = [];
  const seen = new Set<string>();
  while (out.length < 36) {
    const p = person(rng, BRAND_DOMAIN);
    if (seen.has(p.email)) continue;
    seen.add(p.email);
    out.push({ ...p, userId: `usr_${hex(rng, 12)}` });
  }
  return out;
})();

export function phoneNumber(rng: Rng): string {
  switch (int(rng, 0, 5)) {
    case 0:
      return `+1 415 555 0${digits(rng, 3)}`;
    case 1:
      return `(212) 555-0${digits(rng, 3)}`;
    case 2:
      return `+44 20 7946 0${digits(rng, 3)}`;
    case 3:
      return `+49 30 ${int(rng, 1000, 9999)} ${digits(rng, 4)}`;
    case 4:
      return `+33 1 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`;
    default:
      return `+31 20 ${digits(rng, 3)} ${digits(rng, 4)}`;
  }
}

export function ipv4(rng: Rng): string {
  const net = pick(rng, ['192.0.2', '198.51.100', '203.0.113'] as const);
  return `${net}.${int(rng, 1, 254)}`;
}

export function ipv6(rng: Rng): string {
  const groups = [hex(rng, 4), hex(rng, 4), hex(rng, 4), hex(rng, 4)].map((g) => g.replace(/^0+(?=.)/, ''));
  return `2001:db8:${int(rng, 1, 0xfff).toString(16)}::${groups.join(':')}`;
}

function mod97(numeric: string): number {
  let r = 0;
  for (let i = 0; i < numeric.length; i += 7) r = Number(String(r) + numeric.slice(i, i + 7)) % 97;
  return r;
}

function ibanNumeric(s: string): string {
  let out = '';
  for (const ch of s) out += /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
  return out;
}

/** IBAN with valid mod-97 check digits, in the print format (groups of four). */
export function iban(rng: Rng): string {
  const [country, bban] = pick(rng, [
    ['DE', () => digits(rng, 18)],
    ['FR', () => `${digits(rng, 10)}${digits(rng, 11)}${digits(rng, 2)}`],
    ['NL', () => `${pick(rng, ['ABNA', 'INGB', 'RABO'] as const)}${digits(rng, 10)}`],
    ['GB', () => `${pick(rng, ['NWBK', 'BARC', 'HBUK'] as const)}${digits(rng, 14)}`],
  ] as const);
  const b = bban();
  const check = 98 - mod97(ibanNumeric(`${b}${country}00`));
  const compact = `${country}${String(check).padStart(2, '0')}${b}`;
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

export function ibanIsValid(value: string): boolean {
  const compact = value.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  return mod97(ibanNumeric(compact.slice(4) + compact.slice(0, 4))) === 1;
}

/** 16-digit Visa-like number whose last digit satisfies the Luhn check, grouped by four. */
export function cardNumber(rng: Rng): string {
  const body = `4${digits(rng, 14)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // Doubling starts from the digit left of the (future) check digit.
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  const full = body + String((10 - (sum % 10)) % 10);
  return full.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function luhnIsValid(value: string): boolean {
  const d = value.replace(/[ -]/g, '');
  if (!/^\d{12,19}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  return sum % 10 === 0;
}
