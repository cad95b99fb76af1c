// Applies a redaction profile to parsed records. `redactRecord` returns a new value and leaves its
// input alone; what it produces depends only on the record, the profile, the per-export secret and
// the values collected from the selection (known names and identifiers), plus the numbering of
// pseudonyms, which follows the order the export meets values in. Every change is counted under
// the rule that made it, for the export summary, the manifest and the wizard's preview.
import {
  DETECTOR_DESCRIPTIONS,
  DETECTORS,
  SEAL_PATH,
  type DetectorName,
  type FieldRule,
  type RedactionProfile,
  type TextAction,
} from '../../../shared/redaction-profile';
import { ipv6Valid } from './checksums';
import { KnownIdentifiers, NameLexicon, resolveOverlaps, TextScanner, type TextMatch } from './detectors';
import { Pseudonymizer } from './pseudonyms';

export interface RedactionRuleInfo {
  /** `field:<path>`, `text:<detector>` or `pattern:<id>`. */
  id: string;
  kind: 'field' | 'text' | 'pattern';
  action: string;
  label: string | null;
  description: string;
}

export interface RedactionRuleCount extends RedactionRuleInfo {
  /** Values changed (fields) or occurrences replaced (text). */
  count: number;
}

interface PathNode {
  children: Map<string, PathNode>;
  rule?: { id: string; rule: FieldRule };
  /** Scanning switched on (include) or off (exclude) from here down. */
  scan?: boolean;
}

const EMPTY: readonly PathNode[] = [];
const MEMO_MAX_CHARS = 512;
const MEMO_MAX_ENTRIES = 50_000;
const REMOVE = Symbol('remove');

function newNode(): PathNode {
  return { children: new Map() };
}

function segments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    if (part.endsWith('[]')) out.push(part.slice(0, -2), '[]');
    else out.push(part);
  }
  return out;
}

function nodeAt(root: PathNode, path: string): PathNode {
  let n = root;
  for (const s of segments(path)) {
    let c = n.children.get(s);
    if (!c) n.children.set(s, (c = newNode()));
    n = c;
  }
  return n;
}

interface CompiledPattern {
  id: string;
  re: RegExp;
  action: TextAction;
  label: string;
}

export interface RedactorOptions {
  /** Per-export secret for pseudonyms (default: 32 random bytes). */
  secret?: Uint8Array;
  /** Person names collected from the selection's known_values fields. */
  names?: NameLexicon;
  /** Other values collected from the selection's known_values fields. */
  identifiers?: KnownIdentifiers;
}

export class Redactor {
  readonly profile: RedactionProfile;
  private readonly root = newNode();
  private readonly scanAll: boolean;
  private readonly detectors: RedactionProfile['text']['detectors'];
  private readonly patterns: CompiledPattern[];
  private readonly names: NameLexicon;
  private readonly identifiers: KnownIdentifiers;
  private readonly pseudonyms: Pseudonymizer;
  private readonly counts = new Map<string, number>();
  private readonly ruleInfo: RedactionRuleInfo[] = [];
  private readonly on: Record<DetectorName, boolean>;
  private readonly scanner: TextScanner;
  private readonly anyText: boolean;
  private readonly textMemo = new Map<string, { out: string; hits: string[] | null }>();

  constructor(profile: RedactionProfile, opts: RedactorOptions = {}) {
    this.profile = profile;
    this.pseudonyms = new Pseudonymizer(opts.secret);
    this.names = opts.names ?? new NameLexicon();
    this.identifiers = opts.identifiers ?? new KnownIdentifiers();
    this.detectors = profile.text.detectors;
    this.scanAll = profile.text.scan === 'all';
    for (const f of profile.fields) {
      const id = `field:${f.path}`;
      nodeAt(this.root, f.path).rule = { id, rule: f };
      if (f.action !== 'keep') {
        this.ruleInfo.push({ id, kind: 'field', action: f.action, label: f.label ?? null, description: `structured field ${f.path}` });
      }
    }
    if (profile.text.scan !== 'all') for (const p of profile.text.scan) nodeAt(this.root, p).scan = true;
    for (const p of profile.text.exclude) nodeAt(this.root, p).scan = false;
    nodeAt(this.root, SEAL_PATH).rule = { id: 'seal', rule: { path: SEAL_PATH, action: 'keep' } };
    this.on = Object.fromEntries(DETECTORS.map((d) => [d, this.detectors[d].action !== 'off'])) as Record<DetectorName, boolean>;
    this.scanner = new TextScanner({ on: this.on, lexicon: this.names, identifiers: this.identifiers });
    for (const d of DETECTORS) {
      const s = this.detectors[d];
      if (s.action === 'off') continue;
      this.ruleInfo.push({ id: `text:${d}`, kind: 'text', action: s.action, label: d === 'known_value' ? null : s.label, description: DETECTOR_DESCRIPTIONS[d] });
    }
    this.patterns = profile.patterns
      .filter((p) => p.action !== 'off')
      .map((p) => ({ id: `pattern:${p.id}`, re: new RegExp(p.pattern, `${p.flags ?? ''}gu`), action: p.action, label: p.label }));
    for (const p of this.patterns) {
      this.ruleInfo.push({ id: p.id, kind: 'pattern', action: p.action, label: p.label, description: `profile pattern /${p.re.source}/` });
    }
    for (const r of this.ruleInfo) this.counts.set(r.id, 0);
    this.anyText = this.ruleInfo.some((r) => r.kind !== 'field');
  }

  /** The rules that can change data, in profile order, with how often each did so far. */
  ruleCounts(): RedactionRuleCount[] {
    return this.ruleInfo.map((r) => ({ ...r, count: this.counts.get(r.id) ?? 0 }));
  }

  /** Total values changed so far. */
  get changed(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** Distinct pseudonymized values per label. */
  distinctPseudonyms(): Record<string, number> {
    return this.pseudonyms.distinct();
  }

  private count(id: string, n = 1): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + n);
  }

  /** A redacted copy of a parsed record (any JSON value); the input is left as it is. */
  redactRecord(record: unknown): unknown {
    const out = this.walk(record, [this.root], this.scanAll, false);
    return out === REMOVE ? null : out;
  }

  /**
   * The same result as `redactRecord`, built in the containers of `record` itself: for a record
   * the caller owns and no longer needs (the exporter's freshly parsed line), it saves a copy.
   */
  redactRecordInPlace(record: unknown): unknown {
    const out = this.walk(record, [this.root], this.scanAll, true);
    return out === REMOVE ? null : out;
  }

  private walk(value: unknown, nodes: readonly PathNode[], scanning: boolean, inPlace: boolean): unknown {
    let rule: PathNode['rule'];
    let include = false;
    let exclude = false;
    for (const n of nodes) {
      if (n.scan === true) include = true;
      else if (n.scan === false) exclude = true;
      if (!rule && n.rule) rule = n.rule;
    }
    // An exclude wins over an include at the same place; both hold for the subtree below.
    if (exclude) scanning = false;
    else if (include) scanning = true;
    if (rule) return this.applyField(rule, value);
    if (typeof value === 'string') return scanning && this.anyText ? this.redactText(value) : value;
    if (value === null || typeof value !== 'object') return value;
    // Nothing below can change: no rule under this path and no scanning.
    if (!scanning && nodes.length === 0 && inPlace) return value;
    if (Array.isArray(value)) {
      const childNodes = this.childNodes(nodes, '[]');
      const out: unknown[] = inPlace ? value : [];
      let w = 0;
      for (let i = 0; i < value.length; i++) {
        const r = this.walk(value[i], childNodes, scanning, inPlace);
        if (r === REMOVE) continue;
        if (inPlace) value[w++] = r;
        else out.push(r);
      }
      if (inPlace) value.length = w;
      return out;
    }
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = inPlace ? obj : {};
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      const r = this.walk(v, this.childNodes(nodes, key), scanning, inPlace);
      if (r === REMOVE) {
        if (inPlace) delete obj[key];
        continue;
      }
      if (inPlace && r === v) continue;
      // A "__proto__" member of the record is data: define it, never set a prototype with it.
      if (key === '__proto__') Object.defineProperty(out, key, { value: r, enumerable: true, writable: true, configurable: true });
      else out[key] = r;
    }
    return out;
  }

  private childNodes(nodes: readonly PathNode[], key: string): readonly PathNode[] {
    if (nodes.length === 0) return EMPTY;
    let out: PathNode[] | undefined;
    for (const n of nodes) {
      if (n.children.size === 0) continue;
      const exact = n.children.get(key);
      const any = key === '[]' ? undefined : n.children.get('*');
      if (exact) (out ??= []).push(exact);
      if (any) (out ??= []).push(any);
    }
    return out ?? EMPTY;
  }

  private applyField(r: NonNullable<PathNode['rule']>, value: unknown): unknown {
    const { id, rule } = r;
    switch (rule.action) {
      case 'keep':
        return value;
      case 'remove':
        if (value !== undefined) this.count(id);
        return REMOVE;
      case 'mask':
        if (value === null || value === undefined) return value;
        this.count(id);
        return `[${rule.label!}]`;
      case 'pseudonymize': {
        if (value === null || value === undefined) return value;
        this.count(id);
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        return this.pseudonyms.label(rule.label!, fieldKey(text));
      }
    }
  }

  /** Free text with every detected value replaced. */
  redactText(text: string): string {
    if (text.length < 2) return text;
    // Short sentences repeat a lot across records (titles, headlines, error messages): each
    // distinct one is scanned once, a repeat replays the result and its counts. Identifier-like
    // strings (no space) are mostly unique, cheap to scan, and not worth remembering.
    if (text.length <= MEMO_MAX_CHARS && text.indexOf(' ') !== -1) {
      const hit = this.textMemo.get(text);
      if (hit !== undefined) {
        if (hit.hits !== null) for (const id of hit.hits) this.count(id);
        return hit.out;
      }
      const hits: string[] = [];
      const out = this.scanText(text, hits);
      if (this.textMemo.size >= MEMO_MAX_ENTRIES) this.textMemo.clear();
      this.textMemo.set(text, { out, hits: hits.length > 0 ? hits : null });
      return out;
    }
    return this.scanText(text, undefined);
  }

  private scanText(text: string, hits: string[] | undefined): string {
    const matches: TextMatch[] = [];
    this.scanner.scan(text, matches);
    for (const p of this.patterns) {
      p.re.lastIndex = 0;
      for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
        if (m[0].length === 0) {
          p.re.lastIndex++;
          continue;
        }
        matches.push({ start: m.index, end: m.index + m[0].length, rule: p.id as `pattern:${string}`, label: p.label, key: m[0] });
      }
    }
    if (matches.length === 0) return text;
    const kept = resolveOverlaps(matches);
    let out = '';
    let pos = 0;
    for (const m of kept) {
      const { action, label, id } = this.settingOf(m);
      out += text.slice(pos, m.start);
      out += action === 'mask' ? `[${label}]` : this.pseudonyms.label(label, m.key);
      pos = m.end;
      this.count(id);
      hits?.push(id);
    }
    return out + text.slice(pos);
  }

  private settingOf(m: TextMatch): { action: TextAction; label: string; id: string } {
    if (m.rule.startsWith('pattern:')) {
      const p = this.patterns.find((x) => x.id === m.rule)!;
      return { action: p.action, label: p.label, id: p.id };
    }
    const d = m.rule as DetectorName;
    const s = this.detectors[d];
    return { action: s.action, label: m.label ?? s.label, id: `text:${d}` };
  }
}

/** The pseudonym key of a structured value: e-mails and IPv6 case-folded, names space-normalized, as text detection does. */
function fieldKey(v: string): string {
  const t = v.normalize('NFC').trim().replace(/[ \u00a0]+/g, ' ');
  if (t.includes('@') || (t.includes(':') && ipv6Valid(t))) return t.toLowerCase();
  return t;
}
