import { z } from 'zod';

// Redaction profiles: what an export removes or pseudonymizes, in structured fields and in free
// text. Shared so that the app's export wizard can list, show and validate profiles with the very
// schema the exporter uses. Built-in profiles are data, defined here; custom profiles are JSON
// files checked against `RedactionProfileFile` and resolved on top of an optional built-in.

/**
 * A path into a record: member names separated by dots; `[]` after a name walks every element of
 * that array; `*` stands for any member name. `content_input.author.name`, `errors[].message`.
 */
export const FieldPath = z
  .string()
  .max(300)
  .regex(/^(?:[A-Za-z0-9_$-]+|\*)(?:\[\])?(?:\.(?:[A-Za-z0-9_$-]+|\*)(?:\[\])?)*$/, 'expected a dotted path such as content_input.author.name or errors[].message');
export type FieldPath = z.infer<typeof FieldPath>;

/** What a pseudonym or a mask says the value was: PERSON_17, [CARD]. */
export const RedactionLabel = z.string().regex(/^[A-Z][A-Z0-9_]{0,23}$/, 'expected an upper-case label such as PERSON or EMAIL');

/**
 * On a structured field: `keep` it as is (and do not scan it), `remove` the member, `mask` it with
 * `[LABEL]`, or `pseudonymize` it as `LABEL_n` (the same value always gets the same n within one
 * export).
 */
export const FieldAction = z.enum(['keep', 'remove', 'mask', 'pseudonymize']);
export type FieldAction = z.infer<typeof FieldAction>;

/** On a value found in free text: leave it (`off`), `mask` it, or `pseudonymize` it. */
export const TextAction = z.enum(['off', 'mask', 'pseudonymize']);
export type TextAction = z.infer<typeof TextAction>;

export const DETECTORS = ['email', 'phone', 'ipv4', 'ipv6', 'card_number', 'iban', 'person_name', 'known_value'] as const;
export const DetectorName = z.enum(DETECTORS);
export type DetectorName = z.infer<typeof DetectorName>;

export const DETECTOR_DESCRIPTIONS: Record<DetectorName, string> = {
  email: 'e-mail addresses',
  phone: 'phone numbers (international +CC, (area) and national forms)',
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses',
  card_number: 'payment card numbers (13-19 digits passing the Luhn check)',
  iban: 'IBANs (passing the ISO 13616 mod-97 check)',
  person_name: 'person names: given names from a built-in list and from the archive, with their surnames; titles with a name',
  known_value: 'values the archive itself holds in the profile\'s known_values fields (e.g. author names, user ids), wherever they recur in text',
};

/** The label a detector uses unless the profile names another. */
export const DEFAULT_DETECTOR_LABELS: Record<DetectorName, string> = {
  email: 'EMAIL',
  phone: 'PHONE',
  ipv4: 'IP',
  ipv6: 'IP',
  card_number: 'CARD',
  iban: 'IBAN',
  person_name: 'PERSON',
  // known values carry the label of their source field
  known_value: 'VALUE',
};

export const FieldRule = z
  .strictObject({
    path: FieldPath,
    action: FieldAction,
    label: RedactionLabel.optional(),
  })
  .refine((r) => r.action === 'keep' || r.action === 'remove' || r.label !== undefined, {
    message: 'mask and pseudonymize need a label (e.g. "PERSON")',
    path: ['label'],
  });
export type FieldRule = z.infer<typeof FieldRule>;

export const DetectorSetting = z.union([
  TextAction,
  z.strictObject({ action: TextAction, label: RedactionLabel.optional() }),
]);
export type DetectorSetting = z.infer<typeof DetectorSetting>;

/** Fields whose values are collected over the whole selection first and then found in text. */
export const KnownValueSource = z.strictObject({ path: FieldPath, label: RedactionLabel });
export type KnownValueSource = z.infer<typeof KnownValueSource>;

function compiles(p: { pattern: string; flags?: string }): boolean {
  try {
    new RegExp(p.pattern, `${p.flags ?? ''}gu`);
    return true;
  } catch {
    return false;
  }
}

/** A profile's own regular expression (e.g. ticket or contract numbers). */
export const CustomPattern = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,40}$/, 'expected a short lower-case id'),
    pattern: z.string().min(1).max(500),
    flags: z.string().regex(/^[ims]*$/, 'only the flags i, m and s are allowed').optional(),
    action: TextAction,
    label: RedactionLabel,
  })
  .refine(compiles, { message: 'not a valid regular expression', path: ['pattern'] });
export type CustomPattern = z.infer<typeof CustomPattern>;

export const BUILTIN_PROFILE_NAMES = ['external-auditor', 'internal'] as const;
export const BuiltinProfileName = z.enum(BUILTIN_PROFILE_NAMES);
export type BuiltinProfileName = z.infer<typeof BuiltinProfileName>;

export const ProfileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a short name of letters, digits, . _ -');

/** A custom profile as written in a JSON file. Everything but the name is optional. */
export const RedactionProfileFile = z.strictObject({
  name: ProfileName,
  description: z.string().max(2000).optional(),
  /** Start from a built-in profile; this file's settings override or add to it. */
  extends: BuiltinProfileName.nullable().optional(),
  fields: z.array(FieldRule).max(500).optional(),
  text: z
    .strictObject({
      /** Where detectors look: every string of the record (`all`) or the strings under these paths. */
      scan: z.union([z.literal('all'), z.array(FieldPath).max(500)]).optional(),
      /** Paths never scanned (the seal is never touched whatever this says). */
      exclude: z.array(FieldPath).max(500).optional(),
      detectors: z.partialRecord(DetectorName, DetectorSetting).optional(),
    })
    .optional(),
  known_values: z.array(KnownValueSource).max(100).optional(),
  patterns: z.array(CustomPattern).max(100).optional(),
});
export type RedactionProfileFile = z.infer<typeof RedactionProfileFile>;

/** A profile with every setting spelled out: what the exporter runs and the manifest records. */
export interface RedactionProfile {
  name: string;
  description: string;
  extends: BuiltinProfileName | null;
  fields: FieldRule[];
  text: {
    scan: 'all' | FieldPath[];
    exclude: FieldPath[];
    detectors: Record<DetectorName, { action: TextAction; label: string }>;
  };
  known_values: KnownValueSource[];
  patterns: CustomPattern[];
}

/** Personal data fields of the record spec (activationlog-record.md). */
export const PERSONAL_DATA_FIELDS = [
  'content_input.author.name',
  'content_input.author.email',
  'processing_metadata.user_id',
  'processing_metadata.client_ip',
  'processing_metadata.session_id',
] as const;

/** Never scanned or changed: the seal links an exported row to its proof. */
export const SEAL_PATH = 'integrity';

const EXTERNAL_AUDITOR: RedactionProfileFile = {
  name: 'external-auditor',
  description:
    'For recipients outside the organisation (auditors, regulators). Every personal-data field of the record spec is pseudonymized ' +
    '(author name and e-mail, user id, client IP, session id), and every string of the record is scanned for e-mail addresses, ' +
    'phone numbers, IP addresses and person names (pseudonymized, consistently within the export) and for card numbers and IBANs (masked).',
  fields: [
    { path: 'content_input.author.name', action: 'pseudonymize', label: 'PERSON' },
    { path: 'content_input.author.email', action: 'pseudonymize', label: 'EMAIL' },
    { path: 'processing_metadata.user_id', action: 'pseudonymize', label: 'USER' },
    { path: 'processing_metadata.client_ip', action: 'pseudonymize', label: 'IP' },
    { path: 'processing_metadata.session_id', action: 'pseudonymize', label: 'SESSION' },
    // Identifiers and machine values: nothing personal, not worth scanning.
    { path: 'activation_id', action: 'keep' },
    { path: 'timestamp', action: 'keep' },
    { path: 'trace_id', action: 'keep' },
  ],
  text: {
    scan: 'all',
    exclude: [],
    detectors: {
      email: 'pseudonymize',
      phone: 'pseudonymize',
      ipv4: 'pseudonymize',
      ipv6: 'pseudonymize',
      card_number: 'mask',
      iban: 'mask',
      person_name: 'pseudonymize',
      known_value: 'pseudonymize',
    },
  },
  known_values: [
    { path: 'content_input.author.name', label: 'PERSON' },
    { path: 'processing_metadata.user_id', label: 'USER' },
  ],
  patterns: [],
};

const INTERNAL: RedactionProfileFile = {
  name: 'internal',
  description:
    'For colleagues inside the organisation. Staff identities (author, user id) stay; client IPs are pseudonymized, session ids ' +
    'removed, and payment data (card numbers, IBANs) is masked wherever it appears in text.',
  fields: [
    { path: 'processing_metadata.client_ip', action: 'pseudonymize', label: 'IP' },
    { path: 'processing_metadata.session_id', action: 'remove' },
  ],
  text: {
    scan: 'all',
    exclude: [],
    detectors: { card_number: 'mask', iban: 'mask' },
  },
  known_values: [],
  patterns: [],
};

export const BUILTIN_PROFILES: Record<BuiltinProfileName, RedactionProfileFile> = {
  'external-auditor': EXTERNAL_AUDITOR,
  internal: INTERNAL,
};

export const DEFAULT_PROFILE: BuiltinProfileName = 'external-auditor';

function detectorSetting(name: DetectorName, s: DetectorSetting | undefined): { action: TextAction; label: string } {
  const label = DEFAULT_DETECTOR_LABELS[name];
  if (s === undefined) return { action: 'off', label };
  if (typeof s === 'string') return { action: s, label };
  return { action: s.action, label: s.label ?? label };
}

/**
 * Spells out a profile: a custom one on top of the built-in it extends. Fields: a rule for the same
 * path replaces the base rule; detectors: named ones replace the base setting; known values and
 * patterns: added (same path / id replaces).
 */
export function resolveProfile(file: RedactionProfileFile): RedactionProfile {
  const base = file.extends ? resolveProfile(BUILTIN_PROFILES[file.extends]) : undefined;
  const fields = new Map<string, FieldRule>((base?.fields ?? []).map((f) => [f.path, f]));
  for (const f of file.fields ?? []) {
    fields.delete(f.path);
    fields.set(f.path, f);
  }
  const detectors = {} as RedactionProfile['text']['detectors'];
  for (const d of DETECTORS) {
    const own = file.text?.detectors?.[d];
    detectors[d] = own !== undefined ? detectorSetting(d, own) : (base?.text.detectors[d] ?? detectorSetting(d, undefined));
  }
  const known = new Map<string, KnownValueSource>((base?.known_values ?? []).map((k) => [k.path, k]));
  for (const k of file.known_values ?? []) known.set(k.path, k);
  const patterns = new Map<string, CustomPattern>((base?.patterns ?? []).map((p) => [p.id, p]));
  for (const p of file.patterns ?? []) patterns.set(p.id, p);
  return {
    name: file.name,
    description: file.description ?? base?.description ?? '',
    extends: file.extends ?? null,
    fields: [...fields.values()],
    text: {
      scan: file.text?.scan ?? base?.text.scan ?? 'all',
      exclude: [...new Set([...(base?.text.exclude ?? []), ...(file.text?.exclude ?? [])])],
      detectors,
    },
    known_values: [...known.values()],
    patterns: [...patterns.values()],
  };
}

export function builtinProfile(name: BuiltinProfileName): RedactionProfile {
  return resolveProfile(BUILTIN_PROFILES[name]);
}

/** Human-readable list of zod issues, one per line, with the JSON path of each. */
export function describeProfileIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(profile)'}: ${i.message}`).join('\n');
}
