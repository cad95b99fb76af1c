import type { RecordAtLine, RecordParse } from '../../../shared/record-view';
import { validateRecord } from '../../../shared/record-schema';
import type { LineBytes } from './line-reader';

/** Characters of a line sent for display; the parsed tree still covers the whole record. */
export const RAW_DISPLAY_CHARS = 1024 * 1024;
/** Lines up to this size are parsed for the tree view. */
export const PARSE_LIMIT_BYTES = 32 * 1024 * 1024;
/** Deeper JSON is shown as raw text only: it cannot be a record, and would strain every layer. */
export const MAX_DISPLAY_DEPTH = 200;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The record panel's view of one line: its text, and its parsed form and schema check. */
export function describeLine(file: string, read: LineBytes): RecordAtLine {
  const notes: string[] = [];
  const complete = read.bytes.length === read.length;
  let bytes = read.bytes;
  if (read.line === 1 && bytes.subarray(0, 3).equals(BOM)) {
    bytes = bytes.subarray(3);
    notes.push('the file starts with a UTF-8 byte order mark');
  }
  if (complete && bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) {
    bytes = bytes.subarray(0, bytes.length - 1);
    notes.push('the line ends in \\r\\n instead of \\n');
  }

  let text: string;
  let validUtf8 = true;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    validUtf8 = false;
    text = new TextDecoder('utf-8').decode(bytes);
    notes.push('the line is not valid UTF-8; invalid bytes are shown as \uFFFD');
  }

  let parsed: RecordParse;
  let violations: RecordAtLine['violations'] = [];
  if (!complete) {
    parsed = { ok: false, error: `the line is ${read.length} bytes long, too long to show parsed; its start is shown as text` };
  } else if (!validUtf8) {
    parsed = { ok: false, error: 'not valid UTF-8, so not a record' };
  } else if (text.length === 0) {
    parsed = { ok: false, error: 'the line is empty' };
  } else {
    parsed = parseForDisplay(text);
    if (parsed.ok) violations = validateRecord(parsed.value);
  }

  const rawTruncated = text.length > RAW_DISPLAY_CHARS || !complete;
  return {
    file,
    line: read.line,
    offset: read.offset,
    bytes: read.length,
    raw: text.length > RAW_DISPLAY_CHARS ? text.slice(0, RAW_DISPLAY_CHARS) : text,
    rawTruncated,
    parsed,
    violations,
    notes,
  };
}

function parseForDisplay(text: string): RecordParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  const depth = maxDepth(value);
  if (depth > MAX_DISPLAY_DEPTH) {
    return { ok: false, error: `valid JSON nested more than ${MAX_DISPLAY_DEPTH} levels deep; shown as text only` };
  }
  return { ok: true, value };
}

/** Nesting depth without recursion (a hostile line can nest hundreds of thousands deep). */
function maxDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_DISPLAY_DEPTH) return max;
    if (v !== null && typeof v === 'object') {
      for (const child of Object.values(v)) stack.push([child, d + 1]);
    }
  }
  return max;
}
