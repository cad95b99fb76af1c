import type { QueryRow, SortSpec } from '../../shared/query';
import { QueryEngine, QueryRequestError, QuerySyntaxError } from '../../main/services/query/query-engine';
import { UsageError, parseCommandLine } from '../cli-support';
import { safeForTerminal, table } from '../format';
import { verdictLines } from '../verdict';
import { CliExit, EXIT_UNREADABLE, openIndexForCli, VERIFICATION_OPTIONS, verificationJson, withIndexPool } from './index';
import { completenessOptions } from '../completeness-options';
import { CLASS_WORDS, type IntegrityClass } from '../../shared/integrity-class';

export const QUERY_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
  'cache-dir': { type: 'string' },
  ...VERIFICATION_OPTIONS,
} as const;

/** `text` with a caret under `position`, for syntax errors. */
export function pointAt(query: string, position: number): string {
  const shown = safeForTerminal(query);
  const caret = ' '.repeat(Math.min(position, shown.length)) + '^';
  return `  ${shown}\n  ${caret}\n`;
}

export function parseSort(raw: string | undefined): SortSpec | undefined {
  if (raw === undefined) return undefined;
  const m = /^([A-Za-z0-9_.[\]]+)(?::(asc|desc))?$/.exec(raw);
  if (!m) throw new UsageError(`--sort takes FIELD or FIELD:asc / FIELD:desc, not "${raw}"`);
  return { field: m[1]!, direction: (m[2] as 'asc' | 'desc' | undefined) ?? 'asc' };
}

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number >= 0, not "${raw}"`);
  return n;
}

/** Maps query errors to the CLI's exit code 2 with a readable message. */
export function queryError(e: unknown, query: string): never {
  if (e instanceof QuerySyntaxError) throw new CliExit(EXIT_UNREADABLE, `query syntax error at position ${e.position}: ${e.message}\n${pointAt(query, e.position)}`);
  if (e instanceof QueryRequestError) throw new CliExit(EXIT_UNREADABLE, e.message);
  throw e;
}

export async function runQuery(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, { ...QUERY_OPTIONS, sort: { type: 'string' }, offset: { type: 'string' }, limit: { type: 'string' } });
  const [archive, query = '', ...extra] = parsed.positionals;
  if (!archive || extra.length > 0) throw new UsageError('query takes ARCHIVE and at most one QUERY (quote it)');
  const v = parsed.values;
  const sort = parseSort(v.sort);
  const offset = wholeNumber('offset', v.offset, 0);
  const limit = wholeNumber('limit', v.limit, 50);
  const completeness = await completenessOptions(v);

  return withIndexPool(async (pool, signal) => {
    const { index, verification } = await openIndexForCli(archive, v['cache-dir'], v['trust-key'], pool, signal, completeness);
    const engine = new QueryEngine(index, pool);
    let result;
    try {
      result = await engine.query({ query, from: v.from, to: v.to, sort, offset, limit }, signal);
    } catch (e) {
      queryError(e, query);
    }
    if (v.json) {
      const records = result.rows.map((r) => ({
        activation_id: r.activation_id,
        timestamp: r.timestamp,
        file: r.file,
        line: r.line,
        verified: r.verified,
        integrity: r.integrity,
        ...r.fields,
      }));
      process.stdout.write(JSON.stringify({ total: result.total, records, verification: verificationJson(verification) }) + '\n');
      return 0;
    }
    process.stdout.write(renderRows(result.rows));
    const shown = result.rows.length;
    process.stdout.write(
      `${result.total} record(s) match${shown > 0 ? `; showing ${offset + 1}-${offset + shown}` : ''} (${result.millis.toFixed(0)} ms)\n`,
    );
    process.stdout.write(verdictLines(verification, false));
    return 0;
  });
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.length === 0 ? '-' : safeForTerminal(v.join(','));
  if (typeof v === 'number') return String(Math.round(v * 1e6) / 1e6);
  return safeForTerminal(String(v));
}

/** The seal column: the record's integrity class in a word (invalid in capitals, to stand out). */
const SEAL_WORD: Record<IntegrityClass, string> = { ...CLASS_WORDS, invalid: CLASS_WORDS.invalid.toUpperCase() };

export function renderRows(rows: QueryRow[]): string {
  if (rows.length === 0) return '';
  const headers = ['timestamp', 'activation_id', 'status', 'provider', 'platform', 'total_ms', 'cost_usd', 'errors', 'seal', 'file:line'];
  const body = rows.map((r) => [
    cell(r.timestamp),
    cell(r.activation_id),
    cell(r.fields['platform_publishing.status']),
    cell(r.fields['ai_enrichment.provider']),
    cell(r.fields['platform_publishing.platform']),
    cell(r.fields['performance_metrics.total_ms']),
    cell(r.fields['ai_enrichment.cost_usd']),
    cell(r.fields['errors[].error_class']),
    SEAL_WORD[r.integrity],
    `${safeForTerminal(r.file)}:${r.line}`,
  ]);
  return table(headers, body, ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'left', 'left', 'left']);
}
