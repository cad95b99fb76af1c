import { z } from 'zod';
import { IntegrityClass } from './integrity-class';
import { MAX_QUERY_LENGTH, parseInstant, resolveSortField } from './query';

// The Records screen's side of the contract: opening the archive's index (with progress), paging
// through query results, and the field names the query bar completes. The query language and its
// engine are described in docs/QUERY.md.

export const IndexStatus = z.enum(['idle', 'indexing', 'ready', 'cancelled', 'failed']);
export type IndexStatus = z.infer<typeof IndexStatus>;

export const IndexProgress = z.object({
  doneBytes: z.number(),
  totalBytes: z.number(),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  elapsedMs: z.number(),
  /** Estimated time left, once there is enough done to go on. */
  etaMs: z.number().nullable(),
});
export type IndexProgress = z.infer<typeof IndexProgress>;

export const IndexState = z.object({
  status: IndexStatus,
  progress: IndexProgress.nullable(),
  error: z.string().nullable(),
  /** Records in the index, once it is ready. */
  records: z.number().int().nullable(),
  /** Day files indexed in this run (the others were reused from the cache). */
  filesIndexed: z.number().int().nullable(),
  filesReused: z.number().int().nullable(),
});
export type IndexState = z.infer<typeof IndexState>;

/** A record's integrity class (integrity-class.ts): what its seal cell and detail show. */
export const RowIntegrity = IntegrityClass;
export type RowIntegrity = z.infer<typeof RowIntegrity>;

export const IndexedValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const RecordRow = z.object({
  activation_id: z.string(),
  timestamp: z.string(),
  file: z.string(),
  line: z.number().int(),
  integrity: RowIntegrity,
  /** Every indexed field by its canonical path (`platform_publishing.status`); absent ones null. */
  fields: z.record(z.string(), IndexedValue),
});
export type RecordRow = z.infer<typeof RecordRow>;

/** One query generation of a client: a newer id replaces (and cancels) the requests of the older. */
export const QueryRequestId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a request id');

/** Rows one request may ask for; the grid asks for blocks of about a hundred. */
export const MAX_PAGE_ROWS = 1000;

const Instant = z
  .string()
  .max(64)
  .refine((s) => parseInstant(s) !== undefined, 'expected an ISO-8601 instant such as 2026-11-19 or 2026-11-19T08:00:00Z');

export const QueryRecordsInput = z.strictObject({
  query: z.string().max(MAX_QUERY_LENGTH, `a query is at most ${MAX_QUERY_LENGTH} characters`),
  /** Inclusive. */
  from: Instant.optional(),
  /** Exclusive. */
  to: Instant.optional(),
  sort: z
    .strictObject({
      field: z
        .string()
        .max(200)
        .refine((f) => resolveSortField(f) !== undefined, 'expected an indexed field (or file, line) to sort by'),
      dir: z.enum(['asc', 'desc']),
    })
    .optional(),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(MAX_PAGE_ROWS),
  requestId: QueryRequestId,
});

export const QueryRecordsOutput = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), requestId: QueryRequestId, total: z.number().int(), rows: z.array(RecordRow), millis: z.number() }),
  /** The query does not parse; `position` is the 0-based character offset of the problem. */
  z.object({ status: z.literal('syntax_error'), requestId: QueryRequestId, message: z.string(), position: z.number().int() }),
  /** A newer request replaced this one before it was answered: drop it. */
  z.object({ status: z.literal('cancelled'), requestId: QueryRequestId }),
]);
export type QueryRecordsOutput = z.infer<typeof QueryRecordsOutput>;

export const FieldInfo = z.object({
  /** Canonical path, as used in queries and results (`platform_publishing.status`). */
  name: z.string(),
  type: z.enum(['keyword', 'number', 'boolean', 'timestamp']),
  /** Several values per record (a path through an array, e.g. errors[].error_class). */
  multi: z.boolean(),
  /** Short names that stand for it in queries (`status`). */
  aliases: z.array(z.string()),
  /** The field's values, when the index is open and there are few of them (for completion). */
  values: z.array(z.string()),
  /** Fields describing a record's place (`file`, `line`, `verified`), not its content. */
  pseudo: z.boolean(),
});
export type FieldInfo = z.infer<typeof FieldInfo>;
