import { z } from 'zod';
import { Integrity } from './seal';

// Schema of one ActivationLog record (spec: activationlog-record.md).
//
// Rules applied throughout:
// - Every object is loose: members this schema does not know are kept, never stripped, so
//   archives written by newer producers still open and show everything.
// - Enumerations the spec leaves open ("| other") are plain strings; their known values are
//   exported below for the generator and the UI. Closed ones (`content_input.source`) are enums.
// - Only the members the spec marks `| null` are nullable.
// - Integers (tokens, image sizes, attempt numbers, backoff) must be safe integers: a value above
//   2^53 has already lost precision in JSON.parse, so it is a violation, not a number to trust.
//
// Which members are required:
// - Top level: `activation_id`, `timestamp`, `content_input` and `platform_publishing` are required:
//   without them a record cannot be identified, placed in time, or told what was activated and
//   what became of it. Every other section is optional because the pipeline stops early on
//   failure (a record rejected by validation has no `ai_enrichment` or `brand_voice_analysis`),
//   but it is fully typed whenever it is present. `integrity` exists only in sealed archives.
// - Inside a present section every member the spec lists is required, except those a pipeline
//   that stopped early cannot fill: `ai_enrichment.generated` (enrichment failed),
//   `platform_publishing.response` (never sent to the platform) and the individual
//   `performance_metrics.stages.*` (stages not reached).

export const CONTENT_TYPES = ['email_campaign', 'social_post', 'landing_page', 'push_notification'] as const;
export const CONTENT_SOURCES = ['contentful_live', 'manual'] as const;
export const AI_PROVIDERS = ['openai', 'local', 'mock'] as const;
export const PLATFORMS = ['mailchimp', 'hubspot', 'braze', 'klaviyo', 'mock'] as const;
export const PUBLISH_STATUSES = ['published', 'failed', 'blocked'] as const;
/** Values the producer is known to write; the spec does not close these sets. */
export const ERROR_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export const PIPELINE_STAGES = ['validation', 'enrichment', 'vision', 'brand_voice', 'publishing'] as const;
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

export const ACTIVATION_ID_PATTERN = /^act_[0-9a-f]{32}$/;
/** ISO-8601 UTC with exactly six fractional digits and `Z`, e.g. 2026-11-20T08:15:02.123456Z. */
export const RECORD_TIMESTAMP_PATTERN =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$/;
// Event times inside a record (attempts, errors) are not pinned to micro-seconds by the spec.
const EVENT_TIME_PATTERN =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
// BCP-47 by shape (language, then subtags); the registry itself is not checked.
const LOCALE_PATTERN = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

const SafeCount = z.number().int().nonnegative();
const Millis = z.number().nonnegative();
const Unit = z.number().min(0).max(1);
const EventTime = z.string().regex(EVENT_TIME_PATTERN, 'expected an ISO-8601 date-time');

export const ContentImage = z.looseObject({
  image_id: z.string(),
  url: z.string(),
  width: SafeCount,
  height: SafeCount,
});

export const ContentInput = z.looseObject({
  content_id: z.string(),
  content_type: z.string(),
  title: z.string(),
  body: z.string(),
  locale: z.string().regex(LOCALE_PATTERN, 'expected a BCP-47 language tag'),
  author: z.looseObject({ name: z.string(), email: z.string() }),
  tags: z.array(z.string()),
  images: z.array(ContentImage),
  source: z.enum(CONTENT_SOURCES),
});

export const ValidationResults = z.looseObject({
  is_valid: z.boolean(),
  schema_version: z.string(),
  // The spec leaves the shape of these entries open (strings or objects).
  errors: z.array(z.unknown()),
  vocabulary_violations: z.array(z.looseObject({ term: z.string(), rule: z.string(), suggestion: z.string() })),
});

export const AltText = z.looseObject({
  image_id: z.string(),
  alt_text: z.string(),
  wcag_compliant: z.boolean(),
  vision_model: z.string(),
});

export const AiEnrichment = z.looseObject({
  provider: z.string(),
  model: z.string(),
  selection_reason: z.string(),
  tokens: z.looseObject({ prompt: SafeCount, completion: SafeCount }),
  cost_usd: z.number().nonnegative(),
  processing_ms: Millis,
  confidence: Unit,
  generated: z
    .looseObject({
      headline: z.string(),
      summary: z.string(),
      alt_texts: z.array(AltText),
    })
    .optional(),
});

export const BrandVoiceAnalysis = z.looseObject({
  scores: z.looseObject({
    professionalism: Unit,
    accessibility: Unit,
    action_oriented: Unit,
    consistency: Unit,
  }),
  overall_score: Unit,
  gate_passed: z.boolean(),
  blocking_reason: z.string().nullable(),
  recommendations: z.array(z.string()),
});

export const PublishAttempt = z.looseObject({
  attempt: z.number().int().positive(),
  at: EventTime,
  status: z.string(),
  backoff_ms: SafeCount,
});

export const PlatformPublishing = z.looseObject({
  platform: z.string(),
  status: z.string(),
  campaign_id: z.string().nullable(),
  attempts: z.array(PublishAttempt),
  assets: z.array(z.looseObject({})),
  response: z.looseObject({}).optional(),
});

export const ProcessingMetadata = z.looseObject({
  pipeline_version: z.string(),
  environment: z.string(),
  host: z.string(),
  user_id: z.string(),
  client_ip: z.string(),
  session_id: z.string(),
});

export const PerformanceMetrics = z.looseObject({
  total_ms: Millis,
  stages: z.looseObject({
    validation_ms: Millis.optional(),
    enrichment_ms: Millis.optional(),
    vision_ms: Millis.optional(),
    brand_voice_ms: Millis.optional(),
    publishing_ms: Millis.optional(),
  }),
  memory_mb: z.number().nonnegative(),
  cpu_pct: z.number().nonnegative(),
});

export const QualityAssessment = z.looseObject({
  overall_quality_score: Unit,
  success: z.boolean(),
  factors: z.record(z.string(), z.number()),
});

export const PipelineError = z.looseObject({
  stage: z.string(),
  severity: z.string(),
  error_class: z.string(),
  message: z.string(),
  stack_trace: z.string(),
  retryable: z.boolean(),
  occurred_at: EventTime,
});

export const ActivationRecord = z.looseObject({
  activation_id: z.string().regex(ACTIVATION_ID_PATTERN, 'expected act_ followed by 32 lowercase hex characters'),
  timestamp: z
    .string()
    .regex(RECORD_TIMESTAMP_PATTERN, 'expected an ISO-8601 UTC timestamp with micro-seconds, e.g. 2026-11-20T08:15:02.123456Z'),
  content_input: ContentInput,
  validation_results: ValidationResults.optional(),
  ai_enrichment: AiEnrichment.optional(),
  brand_voice_analysis: BrandVoiceAnalysis.optional(),
  platform_publishing: PlatformPublishing,
  processing_metadata: ProcessingMetadata.optional(),
  performance_metrics: PerformanceMetrics.optional(),
  quality_assessment: QualityAssessment.optional(),
  errors: z.array(PipelineError).optional(),
  training_labels: z.record(z.string(), z.unknown()).nullable().optional(),
  suitable_for_training: z.boolean().optional(),
  integrity: Integrity.optional(),
});
export type ActivationRecord = z.infer<typeof ActivationRecord>;

export interface SchemaViolation {
  /** Dotted path of the offending value, e.g. `ai_enrichment.tokens.prompt`, `errors[2].severity`; '' for the record itself. */
  path: string;
  message: string;
}

/** A hostile record can break the schema millions of times; the rest is summarized in one entry. */
export const MAX_VIOLATIONS = 100;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (IDENTIFIER.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

// Zod's default message for an absent member ("expected string, received undefined") reads as a
// type problem; say what it is.
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `required field is missing (expected ${issue.expected})`;
  }
  return undefined;
};

// The verifier validates every record (about 50k per GB), so the common case, a valid record,
// takes zod's ahead-of-time compiled validator (z.compile: generated code, no output built). It is
// compiled on first use, not at import, so code that never validates never runs `new Function`
// (a strict CSP reports even a caught attempt). Where code generation is unavailable z.compile
// returns the schema unchanged and this is just the runtime parser.
let compiled: typeof ActivationRecord | undefined;

function fastSchema(): typeof ActivationRecord {
  if (!compiled) compiled = z.core.globalConfig.jitless ? ActivationRecord : z.compile(ActivationRecord);
  return compiled;
}

/** Schema violations of a parsed JSON value; an empty array means the record is valid. */
export function validateRecord(value: unknown): SchemaViolation[] {
  if (fastSchema().validate(value)) return [];
  // Failures are rare: take the runtime parser, which reports every issue with its path.
  const result = ActivationRecord.safeParse(value, { error: errorMap });
  if (result.success) return [];
  const issues = result.error.issues;
  const out: SchemaViolation[] = [];
  for (let i = 0; i < issues.length && i < MAX_VIOLATIONS; i++) {
    const issue = issues[i]!;
    out.push({ path: formatPath(issue.path), message: issue.message });
  }
  if (issues.length > MAX_VIOLATIONS) {
    out.push({ path: '', message: `${issues.length - MAX_VIOLATIONS} more violations not listed` });
  }
  return out;
}

export type IndexedFieldType = 'keyword' | 'number' | 'boolean' | 'timestamp';

export interface IndexedField {
  /** Dotted path; `[]` marks an array whose every element contributes a value. */
  readonly path: string;
  readonly type: IndexedFieldType;
  /** True when a record may hold several values (the path crosses an array). */
  readonly multi: boolean;
  /** A keyword whose value is new in almost every record (an id): the index builds its dictionary differently. */
  readonly perRecord: boolean;
}

function field(path: string, type: IndexedFieldType, perRecord = false): IndexedField {
  return { path, type, multi: path.includes('[]'), perRecord };
}

/** The fields the spec marks **indexed**, in spec order. */
export const INDEXED_FIELDS: readonly IndexedField[] = [
  field('activation_id', 'keyword', true),
  field('timestamp', 'timestamp'),
  field('content_input.content_id', 'keyword', true),
  field('content_input.content_type', 'keyword'),
  field('content_input.locale', 'keyword'),
  field('content_input.source', 'keyword'),
  field('validation_results.is_valid', 'boolean'),
  field('ai_enrichment.provider', 'keyword'),
  field('ai_enrichment.model', 'keyword'),
  field('ai_enrichment.tokens.prompt', 'number'),
  field('ai_enrichment.tokens.completion', 'number'),
  field('ai_enrichment.cost_usd', 'number'),
  field('brand_voice_analysis.overall_score', 'number'),
  field('brand_voice_analysis.gate_passed', 'boolean'),
  field('platform_publishing.platform', 'keyword'),
  field('platform_publishing.status', 'keyword'),
  field('processing_metadata.environment', 'keyword'),
  field('performance_metrics.total_ms', 'number'),
  field('quality_assessment.overall_quality_score', 'number'),
  field('quality_assessment.success', 'boolean'),
  field('errors[].error_class', 'keyword'),
  field('errors[].severity', 'keyword'),
  field('suitable_for_training', 'boolean'),
];

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * The values a record holds at an indexed path (none when the path is absent; several for a
 * `[]` path). Values are returned as found; the caller decides what to do with a wrong type.
 * Reads own members only, so a `__proto__` key in a record is just data.
 */
export function readIndexedValues(record: unknown, path: string): unknown[] {
  let current: unknown[] = [record];
  for (const raw of path.split('.')) {
    const spread = raw.endsWith('[]');
    const key = spread ? raw.slice(0, -2) : raw;
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasOwn(v, key)) continue;
      const child = (v as Record<string, unknown>)[key];
      if (spread) {
        if (Array.isArray(child)) for (const c of child) next.push(c);
      } else {
        next.push(child);
      }
    }
    current = next;
  }
  return current;
}
