import { describe, expect, it } from 'vitest';
import type { FieldInfo, QueryRecordsOutput, RecordRow } from '../../../src/shared/record-search';
import type { IpcResult } from '../../../src/shared/ipc-contract';
import { applySuggestion, completeAt, quoteValue } from '../../../src/renderer/src/features/records/completion';
import { cellText, formatCell, formatRecordTime, SORTABLE_COLUMNS } from '../../../src/renderer/src/features/records/record-columns';
import { recordsDatasource, type GetRowsParams, type QueryRecords } from '../../../src/renderer/src/features/records/records-datasource';
import { toRecordSort } from '../../../src/renderer/src/features/records/sort-model';
import { windowBounds } from '../../../src/renderer/src/features/records/time-window';

const field = (name: string, type: FieldInfo['type'], aliases: string[] = [], values: string[] = []): FieldInfo => ({
  name,
  type,
  multi: false,
  aliases,
  values,
  pseudo: false,
});

const FIELDS: FieldInfo[] = [
  field('platform_publishing.status', 'keyword', ['status'], ['blocked', 'failed', 'published']),
  field('ai_enrichment.provider', 'keyword', ['provider'], ['local', 'mock', 'openai']),
  field('performance_metrics.total_ms', 'number', ['total_ms', 'latency']),
  field('quality_assessment.success', 'boolean', ['success']),
];

describe('query completion', () => {
  it('offers field names and aliases for the word being typed, aliases first', () => {
    const c = completeAt('prov', 4, FIELDS)!;
    expect(c).toMatchObject({ from: 0, to: 4 });
    expect(c.items.map((i) => i.label)).toEqual(['provider', 'ai_enrichment.provider']);
    expect(c.items[0]).toEqual({ label: 'provider', insert: 'provider:', detail: 'ai_enrichment.provider' });
    expect(applySuggestion('prov', c, c.items[0]!)).toEqual({ query: 'provider:', caret: 9 });
  });

  it('completes the word under the caret in the middle of a query', () => {
    const q = 'status:failed AND lat';
    const c = completeAt(q, q.length, FIELDS)!;
    expect(c.items[0]!.label).toBe('latency');
    expect(applySuggestion(q, c, c.items[0]!).query).toBe('status:failed AND latency:');
    // Matches inside a name come after prefixes.
    expect(completeAt('ms', 2, FIELDS)!.items.map((i) => i.label)).toEqual(['total_ms', 'performance_metrics.total_ms']);
  });

  it('offers a few-valued field\'s values after its colon, quoting where needed', () => {
    const c = completeAt('status:f', 8, FIELDS)!;
    expect(c.items.map((i) => i.label)).toEqual(['failed']);
    expect(applySuggestion('status:f', c, c.items[0]!).query).toBe('status:failed');
    expect(completeAt('success:', 8, FIELDS)!.items.map((i) => i.label)).toEqual(['true', 'false']);
    expect(completeAt('total_ms:>', 10, FIELDS)).toBeUndefined();
    expect(quoteValue('rate limit')).toBe('"rate limit"');
    expect(quoteValue('gpt-4o')).toBe('gpt-4o');
    expect(quoteValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteValue('OR')).toBe('"OR"');
  });

  it('stays quiet inside quotes, on operators and for unknown words', () => {
    expect(completeAt('"prov', 5, FIELDS)).toBeUndefined();
    expect(completeAt('status:failed AND', 17, FIELDS)).toBeUndefined();
    expect(completeAt('zzz', 3, FIELDS)).toBeUndefined();
    expect(completeAt('', 0, FIELDS)).toBeUndefined();
  });
});

describe('sort model', () => {
  it('narrows ag-grid\'s sort model to one sortable field', () => {
    expect(toRecordSort([], SORTABLE_COLUMNS)).toBeUndefined();
    expect(toRecordSort([{ colId: 'performance_metrics.total_ms', sort: 'desc' }], SORTABLE_COLUMNS)).toEqual({ field: 'performance_metrics.total_ms', dir: 'desc' });
    expect(toRecordSort([{ colId: 'line', sort: 'asc' }, { colId: 'timestamp', sort: 'desc' }], SORTABLE_COLUMNS)).toEqual({ field: 'line', dir: 'asc' });
    expect(toRecordSort([{ colId: 'integrity', sort: 'asc' }], SORTABLE_COLUMNS)).toBeUndefined();
    expect(toRecordSort([{ colId: 'ag-Grid-SelectionColumn', sort: 'asc' }], SORTABLE_COLUMNS)).toBeUndefined();
    expect(toRecordSort([{ colId: 'timestamp', sort: 'absolute' }], SORTABLE_COLUMNS)).toBeUndefined();
  });
});

describe('cells', () => {
  it('keep a fixed number of decimals per column, so numbers line up', () => {
    expect(formatCell(19119.3, 'ms')).toBe('19,119.3');
    expect(formatCell(48, 'ms')).toBe('48.0');
    expect(formatCell(0.000685, 'usd')).toBe('0.000685');
    expect(formatCell(0, 'usd')).toBe('0.000000');
    expect(formatCell(0.5, 'score')).toBe('0.500');
    expect(formatCell(12345, 'count')).toBe('12,345');
    expect(formatCell(['A', 'B'], 'list')).toBe('A, B');
    expect(formatCell(null, 'text')).toBe('');
    expect(formatCell(false, 'boolean')).toBe('false');
    expect(formatRecordTime('2026-11-20T00:37:03.972426Z')).toBe('2026-11-20 00:37:03.972426');
    expect(formatRecordTime('<img src=x>')).toBe('<img src=x>');
  });

  it('show a dash for no value, and invisible or direction-changing characters as labels', () => {
    expect(cellText(null, 'text')).toBe('–');
    expect(cellText([], 'list')).toBe('–');
    expect(cellText('invoice\u202Efdp.exe', 'text')).toBe('invoiceU+202Efdp.exe');
    expect(cellText('a\u200Bb\u0000', 'id')).toBe('aU+200BbU+0000');
    expect(cellText('<b>x</b>', 'text')).toBe('<b>x</b>');
  });
});

describe('time window', () => {
  it('takes From as given and makes Through cover its whole unit', () => {
    expect(windowBounds({ from: '', through: '' })).toEqual({});
    expect(windowBounds({ from: '2026-11-19', through: '2026-11-19' })).toEqual({ from: '2026-11-19', to: '2026-11-20T00:00:00.000000Z' });
    expect(windowBounds({ from: '', through: '2026-11-19T08' })).toEqual({ to: '2026-11-19T09:00:00.000000Z' });
    expect(windowBounds({ from: 'yesterday', through: '' })).toEqual({ invalid: 'from' });
    expect(windowBounds({ from: '', through: '2026-02-30' })).toEqual({ invalid: 'through' });
  });
});

const ROW: RecordRow = { activation_id: 'act_1', timestamp: '2026-11-20T00:00:00.000000Z', file: 'activations-2026-11-20.jsonl', line: 1, integrity: 'verified', fields: {} };

function params(startRow: number, sortModel: GetRowsParams['sortModel'] = []) {
  const calls: string[] = [];
  const p: GetRowsParams = {
    startRow,
    endRow: startRow + 100,
    sortModel,
    successCallback: (rows, lastRow) => calls.push(`success ${rows.length} ${lastRow}`),
    failCallback: () => calls.push('fail'),
  };
  return { p, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('records datasource', () => {
  it('calls the grid back exactly once per request, with the exact total as the last row', async () => {
    const inputs: unknown[] = [];
    const answers: IpcResult<QueryRecordsOutput>[] = [
      { ok: true, value: { status: 'ok', requestId: 'x', total: 158, rows: [ROW], millis: 3 } },
      { ok: true, value: { status: 'syntax_error', requestId: 'x', message: 'unexpected end', position: 19 } },
      { ok: true, value: { status: 'cancelled', requestId: 'x' } },
      { ok: false, error: { message: 'server gone', code: 'refused' } },
    ];
    const query: QueryRecords = async (input) => {
      inputs.push(input);
      return answers.shift()!;
    };
    const events: string[] = [];
    let n = 0;
    const ds = recordsDatasource({ query: 'status:failed', from: '2026-11-19' }, query, () => `r${++n}`, {
      onRows: (total, _ms, id) => events.push(`rows ${total} ${id}`),
      onSyntaxError: (message, position, id) => events.push(`syntax ${position} ${message} ${id}`),
      onFailure: (message, id) => events.push(`failure ${message} ${id}`),
    });
    const results = [params(0), params(100), params(200), params(300)];
    for (const r of results) ds.getRows(r.p);
    await tick();
    expect(results.map((r) => r.calls)).toEqual([['success 1 158'], ['fail'], ['fail'], ['fail']]);
    expect(events).toEqual(['rows 158 r1', 'syntax 19 unexpected end r1', 'failure server gone r1']);
    expect(inputs[1]).toEqual({ query: 'status:failed', from: '2026-11-19', sort: undefined, offset: 100, limit: 100, requestId: 'r1' });
  });

  it('asks the same question for the same block, and starts a new request generation when the sort changes', async () => {
    const inputs: { requestId: string; sort?: unknown; offset: number }[] = [];
    const query: QueryRecords = async (input) => {
      inputs.push(input as { requestId: string; offset: number });
      return { ok: true, value: { status: 'ok', requestId: input.requestId, total: 1, rows: [ROW], millis: 1 } };
    };
    let n = 0;
    const ds = recordsDatasource({ query: '' }, query, () => `r${++n}`, { onRows: () => undefined, onSyntaxError: () => undefined, onFailure: () => undefined });
    ds.getRows(params(0).p);
    ds.getRows(params(0).p);
    ds.getRows(params(0, [{ colId: 'performance_metrics.total_ms', sort: 'desc' }]).p);
    await tick();
    expect(inputs[0]).toEqual(inputs[1]);
    expect(inputs[2]).toMatchObject({ requestId: 'r2', sort: { field: 'performance_metrics.total_ms', dir: 'desc' } });
  });

  it('fails the block when the transport throws', async () => {
    const ds = recordsDatasource({ query: '' }, () => Promise.reject(new Error('boom')), () => 'r', {
      onRows: () => undefined,
      onSyntaxError: () => undefined,
      onFailure: () => undefined,
    });
    const r = params(0);
    ds.getRows(r.p);
    await tick();
    expect(r.calls).toEqual(['fail']);
  });
});
