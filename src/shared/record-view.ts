import { z } from 'zod';

// One physical line of a day file, as the record panel shows it: the text exactly as stored, and
// its parsed form when it is JSON.

export const RecordParse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type RecordParse = z.infer<typeof RecordParse>;

export const RecordAtLine = z.object({
  file: z.string(),
  line: z.number().int(),
  /** Byte offset of the line in the uncompressed file. */
  offset: z.number().int(),
  /** Length of the line in bytes, without its terminator. */
  bytes: z.number().int(),
  raw: z.string(),
  /** `raw` holds only the start of a very long line. */
  rawTruncated: z.boolean(),
  parsed: RecordParse,
  violations: z.array(z.object({ path: z.string(), message: z.string() })),
  /** Oddities of the line itself: CRLF, BOM, invalid UTF-8. */
  notes: z.array(z.string()),
});
export type RecordAtLine = z.infer<typeof RecordAtLine>;
