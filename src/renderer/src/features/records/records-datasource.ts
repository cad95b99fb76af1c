import type { IpcResult, OperationInput } from '../../../../shared/ipc-contract';
import type { QueryRecordsOutput, RecordRow } from '../../../../shared/record-search';
import { SORTABLE_COLUMNS } from './record-columns';
import { toRecordSort, type GridSortItem } from './sort-model';

/** What the user asked: the query and the time window (from inclusive, to exclusive). */
export interface RecordCriteria {
  query: string;
  from?: string;
  to?: string;
  /** The inclusive end as typed in the Through box (reports word the period with it). */
  through?: string;
}

/** The part of ag-grid's getRows parameters a datasource uses. */
export interface GetRowsParams {
  startRow: number;
  endRow: number;
  sortModel: readonly GridSortItem[];
  successCallback(rows: RecordRow[], lastRow?: number): void;
  failCallback(): void;
}

export interface DatasourceEvents {
  /** A page of the current generation arrived. */
  onRows(total: number, millis: number, requestId: string): void;
  onSyntaxError(message: string, position: number, requestId: string): void;
  onFailure(message: string, requestId: string): void;
}

export type QueryRecords = (input: OperationInput<'queryRecords'>) => Promise<IpcResult<QueryRecordsOutput>>;

/**
 * An ag-grid Infinite Row Model datasource over `queryRecords` for one set of criteria; the view
 * makes a new one whenever the criteria change. Each sort order is a new request generation (the
 * backend cancels the previous one's pages), every `getRows` calls exactly one of the grid's
 * callbacks, and asking twice for the same block asks the same question twice.
 */
export function recordsDatasource(criteria: RecordCriteria, queryRecords: QueryRecords, newRequestId: () => string, events: DatasourceEvents) {
  let sortKey: string | undefined;
  let requestId = '';
  return {
    getRows(params: GetRowsParams): void {
      let settled = false;
      const settle = (ok: RecordRow[] | null, lastRow?: number) => {
        if (settled) return;
        settled = true;
        if (ok) params.successCallback(ok, lastRow);
        else params.failCallback();
      };
      const sort = toRecordSort(params.sortModel, SORTABLE_COLUMNS);
      const key = JSON.stringify(sort ?? null);
      if (key !== sortKey) {
        sortKey = key;
        requestId = newRequestId();
      }
      const id = requestId;
      queryRecords({ query: criteria.query, ...(criteria.from !== undefined ? { from: criteria.from } : {}), ...(criteria.to !== undefined ? { to: criteria.to } : {}), sort, offset: params.startRow, limit: Math.max(1, params.endRow - params.startRow), requestId: id }).then(
        (result) => {
          if (!result.ok) {
            settle(null);
            events.onFailure(result.error.message, id);
            return;
          }
          const answer = result.value;
          switch (answer.status) {
            case 'ok':
              settle(answer.rows, answer.total);
              events.onRows(answer.total, answer.millis, id);
              return;
            case 'syntax_error':
              settle(null);
              events.onSyntaxError(answer.message, answer.position, id);
              return;
            case 'cancelled':
              settle(null);
              return;
          }
        },
        (error: unknown) => {
          settle(null);
          events.onFailure(error instanceof Error ? error.message : String(error), id);
        },
      );
    },
  };
}

/** Request ids unique to this page (so two windows never share one), in order. */
export function requestIdSource(): () => string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  const prefix = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  let n = 0;
  return () => `${prefix}-${++n}`;
}
