// Free-text detectors: find personal data in a string. Each match carries the value's normalized
// form (what a pseudonym is keyed on, so "+1 415 555 0101" and "+14155550101" are one phone number).
//
// Speed matters (every string of every exported record goes through here), and a regular
// expression costs a few ns per character of text whatever it looks for. So one combined "anchor"
// expression finds, in a single pass, every place something may start: a run of 7+ digits and
// separators (card, phone, IPv4), two capitals and two digits (IBAN), a word that is a given name,
// a title or a known name's first word, a known surname. Each anchor is then confirmed with a sticky
// expression at that place and a check: Luhn for cards, mod-97 for IBANs, the address grammar for
// IPs, the name lexicon for names. E-mails and IPv6 are found from their '@' and ':' by indexOf.
import type { DetectorName } from '../../../shared/redaction-profile';
import { ibanValid, ipv4Valid, ipv6Valid, luhnValid } from './checksums';
import { GIVEN_NAMES, NAME_PARTICLES, NAME_TITLES } from './given-names';

export interface TextMatch {
  start: number;
  end: number;
  /** The detector, or `pattern:<id>` for a profile's own pattern. */
  rule: DetectorName | `pattern:${string}`;
  /** Label of the pseudonym or mask (known values and patterns bring their own). */
  label?: string;
  /** Normalized value: the pseudonym key. */
  key: string;
}

// ---------------------------------------------------------------- e-mail

const EMAIL_LOCAL = /[\p{L}\p{N}._%+'-]/u;
const EMAIL_DOMAIN = /[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/uy;

function isLocalChar(c: number, s: string, i: number): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
  if (c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39) return true;
  return c > 127 && EMAIL_LOCAL.test(s[i]!);
}

/** E-mail addresses, found from each `@` outwards (no regex backtracking over long words). */
export function findEmails(text: string, out: TextMatch[]): void {
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && isLocalChar(text.charCodeAt(start - 1), text, start - 1)) start--;
    while (start < at && text.charCodeAt(start) === 46) start++; // no leading dots
    EMAIL_DOMAIN.lastIndex = at + 1;
    const m = start < at ? EMAIL_DOMAIN.exec(text) : null;
    if (m) {
      let end = at + 1 + m[0].length;
      // A trailing hyphen is punctuation, not part of the domain.
      while (text.charCodeAt(end - 1) === 45) end--;
      out.push({ start, end, rule: 'email', key: text.slice(start, end).toLowerCase() });
      at = text.indexOf('@', end);
    } else at = text.indexOf('@', at + 1);
  }
}

// ---------------------------------------------------------------- numbers

// Sticky: tried only at the places the anchor pass found; left boundaries are checked in code.
// On the right only a digit ends a candidate badly: a value glued to a word ("0501and") is still
// the value, and leaking it would be worse than masking a few letters too many.
const CARD_Y = /\d(?:[ -]?\d){12,18}(?!\d)/y;
const IBAN_Y = /[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30}/y;
// International (+CC ...), a bracketed area code, US dotted/dashed, or a national 0-prefixed number.
const PHONE_Y =
  /(?:\+\d{1,3}(?:[ .\-\u00a0]?(?:\(\d{1,4}\)|\d{1,5})){2,7}|\(\d{2,5}\)[ .\-\u00a0]?\d{2,4}(?:[ .\-\u00a0]?\d{2,5}){1,3}|\d{3}[.-]\d{3}[.-]\d{4}|0\d{1,4}(?:[ /\-\u00a0]\d{2,5}){2,4})(?!\d|[.,]\d)/y;
const IPV4_Y = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\d|\.\d)/y;

function isAsciiWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Card number at `p`: the longest run of 13-19 digits passing Luhn, else shorter ones ending at a group boundary. */
function cardAt(text: string, p: number, out: TextMatch[]): number {
  const before = p > 0 ? text.charCodeAt(p - 1) : 32;
  if (isAsciiWord(before) || before === 46 || before === 44 || before === 45) return -1;
  CARD_Y.lastIndex = p;
  const m = CARD_Y.exec(text);
  if (!m) return -1;
  const s = m[0];
  let end = s.length;
  for (;;) {
    const digits = s.slice(0, end).replace(/[ -]/g, '');
    if (digits.length < 13) return -1;
    if (luhnValid(digits)) {
      out.push({ start: p, end: p + end, rule: 'card_number', key: digits });
      return p + end;
    }
    const cut = Math.max(s.lastIndexOf(' ', end - 1), s.lastIndexOf('-', end - 1));
    if (cut <= 0) return -1;
    end = cut;
  }
}

/** IBAN at `p` (compact or grouped by four) passing mod-97: the longest such prefix of the candidate. */
function ibanAt(text: string, p: number, out: TextMatch[]): number {
  if (p > 0 && isAsciiWord(text.charCodeAt(p - 1))) return -1;
  IBAN_Y.lastIndex = p;
  const m = IBAN_Y.exec(text);
  if (!m) return -1;
  const s = m[0];
  // The candidate may run into letters or digits that follow it: shorten it a character at a time.
  for (let end = s.length; end >= 15; end--) {
    if (s[end - 1] === ' ' || s[end - 1] === '\u00a0') continue;
    const compact = s.slice(0, end).replace(/[ \u00a0]/g, '');
    if (compact.length < 15) break;
    if (ibanValid(compact)) {
      out.push({ start: p, end: p + end, rule: 'iban', key: compact });
      return p + end;
    }
  }
  return -1;
}

function phoneAt(text: string, p: number, out: TextMatch[]): number {
  const before = p > 0 ? text.charCodeAt(p - 1) : 32;
  if (isAsciiWord(before) || before === 43 || before === 46) return -1;
  PHONE_Y.lastIndex = p;
  const m = PHONE_Y.exec(text);
  if (!m) return -1;
  const s = m[0];
  const digits = s.replace(/\D/g, '');
  const min = s.charCodeAt(0) === 48 ? 9 : 8;
  if (digits.length < min || digits.length > 15) return -1;
  out.push({ start: p, end: p + s.length, rule: 'phone', key: (s[0] === '+' ? '+' : '') + digits });
  return p + s.length;
}

function ipv4At(text: string, p: number, out: TextMatch[]): number {
  const before = p > 0 ? text.charCodeAt(p - 1) : 32;
  if (isAsciiWord(before) || before === 46) return -1;
  IPV4_Y.lastIndex = p;
  const m = IPV4_Y.exec(text);
  if (!m || !ipv4Valid(m[0])) return -1;
  out.push({ start: p, end: p + m[0].length, rule: 'ipv4', key: m[0] });
  return p + m[0].length;
}

/** A place inside a digit run where a number may start: its start, or after a separator. */
function numberStart(text: string, p: number, runStart: number): boolean {
  const c = text.charCodeAt(p);
  if (!((c >= 48 && c <= 57) || c === 43 || c === 40)) return false;
  if (p === runStart) return true;
  const b = text.charCodeAt(p - 1);
  return b === 32 || b === 0xa0 || b === 47 || b === 45 || (b === 40 && c !== 40);
}

function isHexOrColon(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c > 127 && /[\p{L}\p{N}]/u.test(String.fromCharCode(c)));
}

/**
 * IPv6 addresses: from each colon, the surrounding run of hex digits, colons and dots (an IPv4
 * tail) is checked against the IPv6 grammar, so times like 10:00:00 and MAC addresses fail.
 */
export function findIpv6(text: string, out: TextMatch[]): void {
  let colon = text.indexOf(':');
  while (colon !== -1) {
    let start = colon;
    while (start > 0 && isHexOrColon(text.charCodeAt(start - 1))) start--;
    let end = colon + 1;
    while (end < text.length && (isHexOrColon(text.charCodeAt(end)) || (text.charCodeAt(end) === 46 && end + 1 < text.length && isDigit(text.charCodeAt(end + 1))))) end++;
    const before = start > 0 ? text.charCodeAt(start - 1) : 0;
    if (!(before === 46 || isWordChar(before))) {
      // The run may have swallowed hex letters of a word glued to it ("…:36a3and"): try shorter.
      for (let e = end; e > colon && e >= end - 4; e--) {
        let s = text.slice(start, e);
        // "…ends here:" and similar: a single trailing colon is punctuation.
        if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
        if (s.length >= 2 && ipv6Valid(s) && !isDigit(text.charCodeAt(start + s.length))) {
          out.push({ start, end: start + s.length, rule: 'ipv6', key: s.toLowerCase() });
          break;
        }
      }
    }
    colon = text.indexOf(':', Math.max(end, colon + 1));
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ---------------------------------------------------------------- names

const GIVEN = 1;
const KNOWN_FIRST = 2;
const TITLE_WORD = 4;
const SURNAME = 8;

/** Names the archive itself holds, and the given names and surnames they teach. */
export class NameLexicon {
  /** Full known names by their first word, longest first, with the label of their source field. */
  private readonly byFirst = new Map<string, { name: string; label: string }[]>();
  /** Every word that may matter, with what it may be. */
  private readonly flags = new Map<string, number>();
  private count = 0;
  /** Bumped on every change, so scanners built from an older state rebuild their expression. */
  version = 0;

  constructor() {
    for (const g of GIVEN_NAMES) this.flag(g, GIVEN);
    for (const t of NAME_TITLES) this.flag(t, TITLE_WORD);
  }

  private flag(word: string, f: number): void {
    this.flags.set(word, (this.flags.get(word) ?? 0) | f);
    this.version++;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a person name found in a structured field ("Anna van der Berg"). */
  add(rawName: string, label: string): void {
    const name = rawName.normalize('NFC').trim().replace(/\s+/g, ' ');
    const words = name.split(' ');
    if (words.length === 0 || name.length < 2 || name.length > 120) return;
    const first = words[0]!;
    const list = this.byFirst.get(first) ?? [];
    if (list.some((e) => e.name === name)) return;
    list.push({ name, label });
    list.sort((a, b) => b.name.length - a.name.length);
    this.byFirst.set(first, list);
    this.flag(first, KNOWN_FIRST);
    this.count++;
    if (words.length > 1 && /^\p{Lu}/u.test(first)) this.flag(first, GIVEN);
    const last = words[words.length - 1]!;
    if (words.length > 1 && /^\p{Lu}/u.test(last)) this.flag(last, SURNAME);
  }

  /** What a word may be: a bit set of GIVEN, KNOWN_FIRST, TITLE_WORD, SURNAME (0: nothing). */
  kind(word: string): number {
    return this.flags.get(word) ?? 0;
  }

  isGiven(word: string): boolean {
    return (this.kind(word) & GIVEN) !== 0;
  }

  isSurname(word: string): boolean {
    return (this.kind(word) & SURNAME) !== 0;
  }

  /** Words having any of `mask`'s flags, longest first (for an alternation). */
  words(mask: number): string[] {
    const out: string[] = [];
    for (const [w, f] of this.flags) if ((f & mask) !== 0) out.push(w);
    return out.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }

  /** The names added with `add`, with their labels (to rebuild the lexicon elsewhere, e.g. in a worker). */
  entries(): [string, string][] {
    const out: [string, string][] = [];
    for (const list of this.byFirst.values()) for (const e of list) out.push([e.name, e.label]);
    return out;
  }

  /** Known full names that start with this word. */
  fullNamesStartingWith(word: string): readonly { name: string; label: string }[] | undefined {
    return this.byFirst.get(word);
  }
}

const NAME_WORD = String.raw`\p{Lu}[\p{Ll}\p{Lu}\p{M}]*(?:['’\-][\p{Lu}\p{Ll}][\p{Ll}\p{Lu}\p{M}]*)*`;
const PARTICLE = [...NAME_PARTICLES].join('|');
/**
 * A run of capitalized words, possibly joined by name particles ("Lea van der Berg"). Sticky: it is
 * tried only where a capital letter starts a word (found by a plain character loop, far faster than
 * letting a Unicode-aware regex look at every position).
 */
const NAME_RUN = new RegExp(String.raw`${NAME_WORD}(?:[ \u00a0]+(?:(?:${PARTICLE})[ \u00a0]+)*${NAME_WORD})*(?![\p{L}\p{N}_@])`, 'uy');
const TITLE = new RegExp(
  String.raw`(?:${[...NAME_TITLES].join('|')})\.?[ \u00a0]+(${NAME_WORD}(?:[ \u00a0]+(?:(?:${PARTICLE})[ \u00a0]+)*${NAME_WORD})?)`,
  'uy',
);
const UPPER = /\p{Lu}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** A capital letter that starts a word (not inside a word, an e-mail, a path or a hyphenated word). */
function wordCapitalAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 65 || (c > 90 && c < 192)) return false;
  if (c > 90 && !UPPER.test(text[i]!)) return false;
  if (i === 0) return true;
  const p = text.charCodeAt(i - 1);
  if ((p >= 48 && p <= 57) || (p >= 65 && p <= 90) || (p >= 97 && p <= 122)) return false;
  if (p === 95 || p === 64 || p === 46 || p === 45 || p === 39 || p === 0x2019) return false;
  if (p > 127 && LETTER_OR_DIGIT.test(text[i - 1]!)) return false;
  return true;
}

interface Word {
  text: string;
  start: number;
  end: number;
  particle: boolean;
  /** Ended in 's: the name stops here. */
  possessive: boolean;
}

function wordsOf(run: string, offset: number): Word[] {
  const words: Word[] = [];
  let start = 0;
  for (let k = 0; k <= run.length; k++) {
    const c = run.charCodeAt(k);
    if (k === run.length || c === 32 || c === 0xa0) {
      if (k > start) {
        const text = run.slice(start, k);
        words.push({ text, start: offset + start, end: offset + k, particle: NAME_PARTICLES.has(text), possessive: false });
      }
      start = k + 1;
    }
  }
  return words;
}

/** Up to three surname words (with particles between) after word `i`; returns the last index used. */
function surnameEnd(words: Word[], i: number): number {
  let last = i;
  if (words[i]!.possessive) return last;
  let taken = 0;
  let j = i + 1;
  while (j < words.length && taken < 3) {
    let k = j;
    while (k < words.length && words[k]!.particle) k++;
    if (k >= words.length) break;
    last = k;
    taken++;
    if (words[k]!.possessive) break;
    j = k + 1;
  }
  return last;
}

function stripPossessive(w: Word): Word {
  const t = w.text;
  if (t.length > 3 && (t.endsWith("'s") || t.endsWith('’s'))) return { ...w, text: t.slice(0, -2), end: w.end - 2, possessive: true };
  return w;
}

function namesInRun(text: string, run: string, offset: number, lexicon: NameLexicon, out: TextMatch[], use: { known: boolean; lexicon: boolean }): void {
  // Most runs are one ordinary word ("Meet", "Save"): decide those without splitting.
  if (run.indexOf(' ') === -1 && run.indexOf('\u00a0') === -1) {
    const w = stripPossessive({ text: run, start: offset, end: offset + run.length, particle: false, possessive: false });
    if (use.known) {
      const known = lexicon.fullNamesStartingWith(w.text);
      const hit = known?.find((k) => k.name === w.text);
      if (hit) {
        out.push({ start: w.start, end: w.end, rule: 'known_value', label: hit.label, key: hit.name });
        return;
      }
    }
    if (use.lexicon && lexicon.isGiven(w.text)) out.push({ start: w.start, end: w.end, rule: 'person_name', key: w.text });
    return;
  }
  const words = wordsOf(run, offset).map(stripPossessive);
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (w.particle) {
      i++;
      continue;
    }
    // 1. A full name the archive holds.
    const known = use.known ? lexicon.fullNamesStartingWith(w.text) : undefined;
    let matched = false;
    if (known) {
      for (const { name, label } of known) {
        if (text.startsWith(name, w.start) && !LETTER_OR_DIGIT.test(text[w.start + name.length] ?? '')) {
          const end = w.start + name.length;
          out.push({ start: w.start, end, rule: 'known_value', label, key: name });
          while (i < words.length && words[i]!.start < end) i++;
          matched = true;
          break;
        }
      }
    }
    if (matched) continue;
    if (!use.lexicon) {
      i++;
      continue;
    }
    // 2. A given name, with the capitalized words after it as its surname.
    if (lexicon.isGiven(w.text)) {
      const last = surnameEnd(words, i);
      const end = words[last]!.end;
      out.push({ start: w.start, end, rule: 'person_name', key: text.slice(w.start, end).replace(/[ \u00a0]+/g, ' ') });
      i = last + 1;
      continue;
    }
    // 3. An unknown first word followed by a surname the archive holds.
    const next = words[i + 1];
    if (next && !next.particle && !w.possessive && lexicon.isSurname(next.text)) {
      out.push({ start: w.start, end: next.end, rule: 'person_name', key: text.slice(w.start, next.end).replace(/[ \u00a0]+/g, ' ') });
      i += 2;
      continue;
    }
    i++;
  }
}

// ---------------------------------------------------------------- known identifiers

const ID_CHAR = /[A-Za-z0-9_\-.:@+]/;

function isIdChar(c: string | undefined): boolean {
  return c !== undefined && ID_CHAR.test(c);
}

/**
 * Literal values collected from the archive (user ids and the like), found wherever they recur:
 * grouped by their first four characters so a text is searched with indexOf once per prefix, not
 * once per value.
 */
export class KnownIdentifiers {
  private readonly byPrefix = new Map<string, Map<string, string>>();
  private readonly all = new Map<string, string>();

  get size(): number {
    return this.all.size;
  }

  /** The values added, with their labels. */
  entries(): [string, string][] {
    return [...this.all.entries()];
  }

  add(value: string, label: string): void {
    const v = value.trim();
    if (v.length < 4 || v.length > 200 || this.all.has(v)) return;
    this.all.set(v, label);
    const prefix = v.slice(0, 4);
    let group = this.byPrefix.get(prefix);
    if (!group) this.byPrefix.set(prefix, (group = new Map()));
    group.set(v, label);
  }

  find(text: string, out: TextMatch[]): void {
    if (this.all.size === 0) return;
    if (this.byPrefix.size <= 64) {
      for (const [prefix, group] of this.byPrefix) {
        for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) {
          if (isIdChar(text[at - 1])) continue;
          const hit = this.tokenAt(text, at, group);
          if (hit) {
            out.push(hit);
            at = hit.end - 1;
          }
        }
      }
      return;
    }
    // Values without a shared shape: look every token up instead.
    const TOKEN = /[A-Za-z0-9_][A-Za-z0-9_\-.:@+]*/g;
    for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
      if (isIdChar(text[m.index - 1])) continue;
      const hit = this.tokenAt(text, m.index, this.all);
      if (hit) TOKEN.lastIndex = hit.end;
    }
  }

  private tokenAt(text: string, at: number, group: ReadonlyMap<string, string>): TextMatch | undefined {
    let end = at;
    while (end < text.length && isIdChar(text[end])) end++;
    // Trailing punctuation (end of a sentence) is not part of the value.
    for (let e = end; e > at; e--) {
      const label = group.get(text.slice(at, e));
      if (label) return { start: at, end: e, rule: 'known_value', label, key: text.slice(at, e) };
      const c = text[e - 1];
      if (c !== '.' && c !== ':' && c !== '-' && c !== '+') break;
    }
    return undefined;
  }
}

// ---------------------------------------------------------------- the scanner

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name word starts at `i` and the word before ends at a space: the word before `i`, if capitalized. */
function previousCapitalWord(text: string, i: number): number {
  let j = i;
  if (j === 0 || (text.charCodeAt(j - 1) !== 32 && text.charCodeAt(j - 1) !== 0xa0)) return -1;
  while (j > 0 && (text.charCodeAt(j - 1) === 32 || text.charCodeAt(j - 1) === 0xa0)) j--;
  let k = j;
  while (k > 0 && LETTER_OR_DIGIT.test(text[k - 1]!)) k--;
  return k < j && wordCapitalAt(text, k) ? k : -1;
}

export interface ScannerOptions {
  on: Readonly<Record<DetectorName, boolean>>;
  lexicon: NameLexicon;
  identifiers: KnownIdentifiers;
}

/** Finds every enabled detector's matches in a text (unresolved: overlaps are left to the caller). */
export class TextScanner {
  private anchor: RegExp | null = null;
  private builtFor = -1;
  private readonly numbers: boolean;
  private readonly useNames: { known: boolean; lexicon: boolean };

  constructor(private readonly opts: ScannerOptions) {
    const on = opts.on;
    this.numbers = on.card_number || on.phone || on.ipv4;
    this.useNames = { known: on.known_value, lexicon: on.person_name };
  }

  /** The anchor expression: group 1 digit runs, 2 IBAN starts, 3 name words, 4 known surnames. */
  private build(): RegExp | null {
    const { on, lexicon } = this.opts;
    const parts: string[] = [];
    parts.push(this.numbers ? String.raw`([+(]?\d[\d .\-()/\u00a0]{6,})` : '(\\b\\B)');
    parts.push(on.iban ? '([A-Z]{2}\\d\\d)' : '(\\b\\B)');
    const nameMask = (on.person_name ? GIVEN | TITLE_WORD : 0) | (on.known_value ? KNOWN_FIRST : 0);
    const nameWords = nameMask ? lexicon.words(nameMask) : [];
    parts.push(nameWords.length > 0 ? `(${nameWords.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])` : '(\\b\\B)');
    const surnames = on.person_name ? lexicon.words(SURNAME) : [];
    parts.push(surnames.length > 0 ? `(${surnames.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])` : '(\\b\\B)');
    if (!this.numbers && !on.iban && nameWords.length === 0 && surnames.length === 0) return null;
    return new RegExp(parts.join('|'), 'gu');
  }

  scan(text: string, out: TextMatch[]): void {
    const { on, lexicon, identifiers } = this.opts;
    if (on.email && text.indexOf('@') !== -1) findEmails(text, out);
    if (on.ipv6 && text.indexOf(':') !== -1) findIpv6(text, out);
    if (on.known_value) identifiers.find(text, out);
    if (this.builtFor !== lexicon.version) {
      this.anchor = this.build();
      this.builtFor = lexicon.version;
    }
    const re = this.anchor;
    if (!re) return;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const i = m.index;
      if (m[1] !== undefined) {
        // A run of digits and separators: try each place a number may start in it.
        let end = i + m[1].length;
        while (end > i && ' .-(/\u00a0'.includes(text[end - 1]!)) end--;
        for (let p = i; p < end; p++) {
          if (!numberStart(text, p, i)) continue;
          let e = -1;
          if (on.card_number) e = cardAt(text, p, out);
          if (e < 0 && on.phone) e = phoneAt(text, p, out);
          if (e < 0 && on.ipv4) e = ipv4At(text, p, out);
          if (e > p) p = e - 1;
        }
        re.lastIndex = Math.max(re.lastIndex, end);
      } else if (m[2] !== undefined) {
        const e = ibanAt(text, i, out);
        if (e > 0) re.lastIndex = e;
      } else if (m[3] !== undefined) {
        if (!wordCapitalAt(text, i)) continue;
        const kind = lexicon.kind(m[3]);
        if (this.useNames.lexicon && (kind & TITLE_WORD) !== 0) {
          // A title ("Dr. Kowalski") makes the next capitalized words a name.
          TITLE.lastIndex = i;
          const t = TITLE.exec(text);
          if (t) {
            const name = t[1]!;
            const start = i + t[0].length - name.length;
            out.push({ start, end: start + name.length, rule: 'person_name', key: name.replace(/[ \u00a0]+/g, ' ') });
            re.lastIndex = start + name.length;
            continue;
          }
          if ((kind & ~TITLE_WORD) === 0) continue;
        }
        NAME_RUN.lastIndex = i;
        const run = NAME_RUN.exec(text);
        if (!run) continue;
        namesInRun(text, run[0], i, lexicon, out, this.useNames);
        re.lastIndex = i + run[0].length;
      } else if (m[4] !== undefined) {
        // A surname the archive knows, after a capitalized word that is not a known given name.
        const start = previousCapitalWord(text, i);
        if (start < 0 || NAME_PARTICLES.has(text.slice(start, i).trim())) continue;
        const end = i + m[4].length;
        out.push({ start, end, rule: 'person_name', key: text.slice(start, end).replace(/[ \u00a0]+/g, ' ') });
      }
    }
  }
}

// ---------------------------------------------------------------- overlaps

/**
 * Keeps non-overlapping matches: the earliest start wins, then the longest. Sorts in place and
 * returns the kept ones in text order.
 */
export function resolveOverlaps(matches: TextMatch[]): TextMatch[] {
  if (matches.length <= 1) return matches;
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TextMatch[] = [];
  let lastEnd = -1;
  for (const m of matches) {
    if (m.start >= lastEnd) {
      kept.push(m);
      lastEnd = m.end;
    }
  }
  return kept;
}
