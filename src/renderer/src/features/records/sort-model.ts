import type { RecordSortSpec } from './record-columns';

/** What the grid tells a datasource about sorting (ag-grid's SortModelItem, narrowed). */
export interface GridSortItem {
  colId: string;
  sort: 'asc' | 'desc' | string;
}

/**
 * ag-grid's sort model narrowed to the one field our queries sort by. Only the first entry counts
 * (multi-sort is switched off), only sortable columns are passed on, and no entry means the
 * engine's default order (timestamp ascending).
 */
export function toRecordSort(sortModel: readonly GridSortItem[], sortable: ReadonlySet<string>): RecordSortSpec | undefined {
  const first = sortModel[0];
  if (!first || !sortable.has(first.colId)) return undefined;
  if (first.sort !== 'asc' && first.sort !== 'desc') return undefined;
  return { field: first.colId, dir: first.sort };
}
