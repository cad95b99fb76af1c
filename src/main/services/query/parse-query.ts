// liqe parses the Lucene/Kibana-style text; this file narrows its AST to ours (src/shared/query.ts),
// resolving aliases, typing values against the indexed fields and refusing what we do not run
// (regexes, ranges on keywords) with the position of the offending part.
import { parse, SyntaxError as LiqeSyntaxError, type ExpressionToken, type LiqeQuery, type TagToken } from 'liqe';
import {
  MAX_QUERY_DEPTH,
  MAX_QUERY_LENGTH,
  MAX_SCAN_PREDICATES,
  parseInstant,
  resolveField,
  type CompareOp,
  type FieldRef,
  type QueryNode,
} from '../../../shared/query';

export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset in the query. */
    readonly position: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

const OPS: Record<string, CompareOp> = { ':>': 'gt', ':>=': 'gte', ':<': 'lt', ':<=': 'lte' };

type FieldKind = 'keyword' | 'number' | 'boolean' | 'timestamp' | 'any';

function kindOf(f: FieldRef): FieldKind {
  if (f.kind === 'indexed') return f.field.type;
  if (f.kind === 'pseudo') return f.type;
  return 'any';
}

/** Parses a query into the narrow AST; throws QuerySyntaxError with a position. */
export function parseQuery(query: string): QueryNode {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(`the query is ${query.length} characters long; the limit is ${MAX_QUERY_LENGTH}`, MAX_QUERY_LENGTH);
  }
  let ast: LiqeQuery;
  try {
    ast = parse(query);
  } catch (e) {
    throw fromLiqeError(e, query);
  }
  const ctx = { query, scanPredicates: 0 };
  const node = translate(ast, ctx, 0);
  return simplify(node);
}

function fromLiqeError(e: unknown, query: string): QuerySyntaxError {
  if (e instanceof LiqeSyntaxError) {
    const pos = Math.max(0, Math.min(query.length, e.offset));
    const near = query.slice(pos, pos + 12);
    return new QuerySyntaxError(`unexpected ${near ? `"${near}"` : 'end of query'} at position ${pos}${hintAt(query, pos)}`, pos);
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (/no parsings/i.test(msg)) {
    // The parser reached the end still expecting something: an operand, a closing quote or parenthesis.
    return new QuerySyntaxError(`the query ends too early: ${incompleteReason(query)}`, query.length);
  }
  if (/ambiguous/i.test(msg)) return new QuerySyntaxError('the query is ambiguous; add parentheses', 0);
  return new QuerySyntaxError(`cannot parse the query: ${msg}`, 0);
}

function incompleteReason(query: string): string {
  const quotes = (query.match(/(?<!\\)"/g) ?? []).length;
  if (quotes % 2 === 1) return 'a quoted phrase is not closed (missing ")';
  let depth = 0;
  for (const c of query) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  if (depth > 0) return 'a parenthesis is not closed (missing ")")';
  if (/\b(AND|OR|NOT)\s*$/.test(query)) return 'an operator (AND, OR, NOT) needs an expression after it';
  return 'an expression is missing at the end';
}

function hintAt(query: string, pos: number): string {
  const before = query.slice(0, pos);
  const at = query[pos];
  if (/\[[^\]]*$/.test(before)) return ' (a range is written field:[min TO max] with numbers)';
  if (at === '(' && /:\s*$/.test(before)) return ' (values cannot be grouped after a field: write status:failed OR status:blocked)';
  if (at === ':') return ' (quote values that contain ":", such as times: timestamp:>"2026-11-19T08:00")';
  if (at === ')') return ' (a ")" without a matching "(")';
  if (/^\s*NOT\b/i.test(query.slice(pos)) && /\bNOT\s*$/.test(before)) return ' (NOT NOT: put the inner one in parentheses)';
  return '';
}

interface Ctx {
  query: string;
  scanPredicates: number;
}

function translate(node: LiqeQuery, ctx: Ctx, depth: number): QueryNode {
  if (depth > MAX_QUERY_DEPTH) throw new QuerySyntaxError(`the query nests deeper than ${MAX_QUERY_DEPTH} levels`, 0);
  switch (node.type) {
    case 'EmptyExpression':
      return { type: 'all' };
    case 'ParenthesizedExpression':
      return translate(node.expression as LiqeQuery, ctx, depth + 1);
    case 'UnaryOperator':
      return { type: 'not', child: translate(node.operand as LiqeQuery, ctx, depth + 1) };
    case 'LogicalExpression': {
      const op = node.operator.operator === 'OR' ? 'or' : 'and';
      // Flatten chains of the same operator so `a AND b AND c ...` does not nest by length.
      const children: QueryNode[] = [];
      const stack: LiqeQuery[] = [node.right as LiqeQuery, node.left as LiqeQuery];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n.type === 'LogicalExpression' && (n.operator.operator === 'OR' ? 'or' : 'and') === op) {
          stack.push(n.right as LiqeQuery, n.left as LiqeQuery);
        } else children.push(translate(n, ctx, depth + 1));
      }
      return { type: op, children };
    }
    case 'Tag':
      return translateTag(node, ctx);
  }
}

function countScan(ctx: Ctx, at: number): void {
  if (++ctx.scanPredicates > MAX_SCAN_PREDICATES) {
    throw new QuerySyntaxError(`more than ${MAX_SCAN_PREDICATES} free-text or non-indexed terms in one query`, at);
  }
}

/** The text of an unquoted literal as typed: liqe's end offset follows String(number), so `007` would read `0`. */
function sourceOf(ctx: Ctx, expr: ExpressionToken): string {
  if (!('location' in expr)) return '';
  const q = ctx.query;
  let end = expr.location.start;
  while (end < q.length && !/[\s()]/.test(q[end]!)) end++;
  return q.slice(expr.location.start, Math.max(end, expr.location.end));
}

function translateTag(tag: TagToken, ctx: Ctx): QueryNode {
  const expr = tag.expression;
  const exprStart = expr.location?.start ?? tag.location.start;
  if (expr.type === 'RegexExpression') {
    throw new QuerySyntaxError('regular expressions (/.../) are not supported; use a wildcard such as field:abc* or a quoted phrase', exprStart);
  }

  if (tag.field.type === 'ImplicitField') {
    if (expr.type !== 'LiteralExpression') throw new QuerySyntaxError('expected a word or a quoted phrase', exprStart);
    const raw = expr.quoted ? expr.value : sourceOf(ctx, expr);
    // A bare word's leading/trailing `*` adds nothing to a substring search.
    const text = expr.quoted ? raw : raw.replace(/^\*+|\*+$/g, '');
    if (text === '') return { type: 'all' };
    countScan(ctx, exprStart);
    return { type: 'text', text };
  }

  const fieldTok = tag.field;
  const field = resolveField(fieldTok.name);
  if (!field) {
    throw new QuerySyntaxError(`"${fieldTok.name}" is not a field name (letters, digits, "_" and "." only)`, fieldTok.location.start);
  }
  const kind = kindOf(field);
  const op = tag.operator.operator;
  const name = fieldTok.name;

  if (expr.type === 'EmptyExpression') {
    throw new QuerySyntaxError(`expected a value after "${name}${op}"`, tag.operator.location.end);
  }

  if (field.kind === 'path') countScan(ctx, fieldTok.location.start);

  if (expr.type === 'RangeExpression') {
    if (op !== ':') throw new QuerySyntaxError(`a range takes "${name}:[min TO max]", not "${op}"`, tag.operator.location.start);
    if (kind === 'keyword' || kind === 'boolean') throw new QuerySyntaxError(`${name} is a ${kind} field; ranges apply to numbers`, exprStart);
    if (kind === 'timestamp') {
      throw new QuerySyntaxError(`ranges of times are written ${name}:>="2026-11-19" AND ${name}:<"2026-11-20" (or --from/--to)`, exprStart);
    }
    const r = expr.range;
    return { type: 'range', field, min: r.min, max: r.max, minInclusive: r.minInclusive, maxInclusive: r.maxInclusive };
  }

  // LiteralExpression
  const raw = expr.quoted ? expr.value : sourceOf(ctx, expr);
  const compare = OPS[op];

  if (compare) {
    switch (kind) {
      case 'number':
        return { type: 'compare', field, op: compare, value: numberValue(raw, name, exprStart) };
      case 'timestamp': {
        const t = instantValue(raw, name, exprStart);
        // Rounding as date math does: `>2026-11-19` is after that whole day, `<=` includes it.
        if (compare === 'gt') return { type: 'compare', field, op: 'gte', value: t.micros + t.unitMicros };
        if (compare === 'lte') return { type: 'compare', field, op: 'lt', value: t.micros + t.unitMicros };
        return { type: 'compare', field, op: compare, value: t.micros };
      }
      case 'boolean':
        throw new QuerySyntaxError(`${name} is true or false; it has no order`, tag.operator.location.start);
      case 'keyword':
        return { type: 'compare', field, op: compare, value: raw };
      case 'any': {
        const n = Number(raw);
        return { type: 'compare', field, op: compare, value: raw.trim() !== '' && Number.isFinite(n) && !expr.quoted ? n : raw };
      }
    }
  }

  // `:` and `:=`
  if (!expr.quoted && raw === '*') return { type: 'exists', field };
  if (!expr.quoted && raw === 'null') return { type: 'not', child: { type: 'exists', field } };
  const wild = !expr.quoted && /[*?]/.test(raw);
  switch (kind) {
    case 'number':
      if (wild) throw new QuerySyntaxError(`${name} is a number; wildcards apply to text fields`, exprStart);
      return { type: 'eq', field, value: numberValue(raw, name, exprStart) };
    case 'boolean':
      return { type: 'eq', field, value: booleanValue(raw, name, exprStart) };
    case 'timestamp': {
      if (wild) throw new QuerySyntaxError(`${name} takes an instant such as "2026-11-19T08:15", not a wildcard`, exprStart);
      const t = instantValue(raw, name, exprStart);
      return { type: 'range', field, min: t.micros, max: t.micros + t.unitMicros, minInclusive: true, maxInclusive: false };
    }
    case 'keyword':
      if (wild) return { type: 'wildcard', field, pattern: raw };
      return { type: 'eq', field, value: raw };
    case 'any': {
      if (wild) return { type: 'wildcard', field, pattern: raw };
      if (!expr.quoted && (raw === 'true' || raw === 'false')) return { type: 'eq', field, value: raw === 'true' };
      const n = Number(raw);
      if (!expr.quoted && raw.trim() !== '' && Number.isFinite(n)) return { type: 'eq', field, value: n };
      return { type: 'eq', field, value: raw };
    }
  }
}

function numberValue(raw: string, name: string, at: number): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new QuerySyntaxError(`${name} is a number; "${raw.slice(0, 40)}" is not`, at);
  return n;
}

function booleanValue(raw: string, name: string, at: number): boolean {
  const v = raw.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new QuerySyntaxError(`${name} is true or false, not "${raw.slice(0, 40)}"`, at);
}

function instantValue(raw: string, name: string, at: number): { micros: number; unitMicros: number } {
  const t = parseInstant(raw);
  if (!t) throw new QuerySyntaxError(`${name} takes an ISO-8601 instant such as "2026-11-19T08:15:00Z", not "${raw.slice(0, 40)}"`, at);
  return t;
}

/** Drops `all` from conjunctions and collapses single-child groups. */
function simplify(node: QueryNode): QueryNode {
  switch (node.type) {
    case 'and': {
      const kids = node.children.map(simplify).filter((c) => c.type !== 'all');
      if (kids.length === 0) return { type: 'all' };
      return kids.length === 1 ? kids[0]! : { type: 'and', children: kids };
    }
    case 'or': {
      const kids = node.children.map(simplify);
      if (kids.some((c) => c.type === 'all')) return { type: 'all' };
      return kids.length === 1 ? kids[0]! : { type: 'or', children: kids };
    }
    case 'not':
      return { type: 'not', child: simplify(node.child) };
    default:
      return node;
  }
}
