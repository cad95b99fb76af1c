import type {
  CellFocusedEvent,
  CellKeyDownEvent,
  ColDef,
  Column,
  ColumnState,
  GetRowIdParams,
  GridApi,
  GridReadyEvent,
  IDatasource,
  OverlayType,
  RowSelectionOptions,
  SelectionColumnDef,
} from 'ag-grid-community';
import { AgGridReact, type CustomCellRendererProps } from 'ag-grid-react';
import { forwardRef, useCallback, useImperativeHandle, useMemo, useRef } from 'react';
import type { RecordRow } from '../../../../shared/record-search';
import { IntegrityIcon } from '../../ui/IntegrityIcon';
import { inertTitle } from '../../ui/InertText';
import { loadColumnState, saveColumnState } from './column-state';
import { gridTheme, styleNonce } from './grid-setup';
import { cellText, cellValue, formatCell, INTEGRITY_COLUMN, isNumericFormat, RECORD_COLUMNS, type RecordColumn } from './record-columns';

/** Rows per request: a block of the Infinite Row Model. */
export const BLOCK_SIZE = 100;
/**
 * Rows rendered beyond each edge of the view. Every row is built again on a far jump, and ag-grid's
 * default of 10 doubled the work of one (npm run bench:ui); 2 still covers a wheel step.
 */
const ROW_BUFFER = 2;

export interface RecordsGridHandle {
  /** Columns in display order with their visibility, for the column chooser. */
  columns(): { id: string; label: string; visible: boolean }[];
  setColumnVisible(id: string, visible: boolean): void;
  resetColumns(): void;
  /** Puts the keyboard focus on a grid cell (the first row, or the one a record was opened from). */
  focusRow(rowIndex?: number): void;
  clearSelection(): void;
  /** Reads the shown rows again (their integrity changed), keeping the scroll position. */
  refresh(): void;
}

/** A stable, unique row id: the activation_id, qualified by the record's place because a tampered archive may repeat ids. */
export function rowId(row: RecordRow): string {
  return `${row.activation_id}\u0000${row.file}:${row.line}`;
}

function IntegrityCell(props: CustomCellRendererProps<RecordRow>) {
  if (!props.data) return <span className="cell-loading" aria-label="loading" />;
  return <IntegrityIcon state={props.data.integrity} />;
}

function columnDef(c: RecordColumn): ColDef<RecordRow> {
  const numeric = isNumericFormat(c.format);
  const classes = ['cell', `cell-${c.format}`];
  if (numeric) classes.push('cell-num');
  const common: ColDef<RecordRow> = {
    colId: c.id,
    headerName: c.label,
    headerTooltip:
      c.id === INTEGRITY_COLUMN
        ? 'The record\'s integrity: verified (green), intact but its day signed by a key you have not trusted (amber), invalid: a finding concerns it or its day file (red), unsealed, or not verified yet (grey)'
        : c.id,
    // initial*: the user's widths and choices stay when the definitions are applied again.
    initialWidth: c.width,
    minWidth: 52,
    initialHide: !c.visible,
    sortable: c.sortable,
    resizable: true,
    valueGetter: (p) => (p.data ? cellValue(p.data, c.id) : undefined),
    cellClass: classes,
    headerClass: numeric ? 'ag-right-aligned-header' : undefined,
  };
  if (c.id === INTEGRITY_COLUMN) return { ...common, cellRenderer: IntegrityCell };
  // Text cells have no cell component: ag-grid writes the formatted string as text (never as
  // HTML), and a React component per cell cost more than the rest of a row (npm run bench:ui).
  return {
    ...common,
    valueFormatter: (p) => (p.data ? cellText(p.value, c.format) : ''),
    cellClassRules: { 'cell-empty': (p) => p.data !== undefined && formatCell(p.value, c.format) === '' },
    tooltipValueGetter: (p) => {
      if (!p.data) return undefined;
      const text = formatCell(p.value, c.format);
      return text.length > 16 ? inertTitle(text) : undefined;
    },
  };
}

/**
 * Ctrl/Cmd+Home and Ctrl/Cmd+End go to the first and the last row, as in a spreadsheet (ag-grid
 * moves there on Home and End alone, and leaves the Ctrl chord to the browser, which would only
 * scroll). The column stays; the rows in between are never loaded.
 */
function jumpToEdge(api: GridApi<RecordRow>, event: KeyboardEvent, column: Column): void {
  if ((event.key !== 'Home' && event.key !== 'End') || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
  const count = api.getDisplayedRowCount();
  if (count === 0) return;
  event.preventDefault();
  const target = event.key === 'End' ? count - 1 : 0;
  api.ensureIndexVisible(target, event.key === 'End' ? 'bottom' : 'top');
  api.setFocusedCell(target, column);
}

// Options that never change, defined once: a new object on every render would make the grid
// apply it again (a changed defaultColDef re-applies every column definition).
const DEFAULT_COL_DEF: ColDef<RecordRow> = { suppressHeaderMenuButton: true };
const ROW_SELECTION: RowSelectionOptions<RecordRow> = { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false };
const SELECTION_COLUMN: SelectionColumnDef = { width: 40, minWidth: 40, maxWidth: 40, resizable: false, suppressMovable: true, headerName: '' };
const GET_ROW_ID = (p: GetRowIdParams<RecordRow>) => rowId(p.data);
const NO_ROWS_OVERLAY: OverlayType[] = ['noRows'];

/**
 * The records of the current query in ag-grid's Infinite Row Model: blocks of rows are asked for
 * as the user scrolls, so an archive of millions of records scrolls like one of a hundred.
 */
export const RecordsGrid = forwardRef<
  RecordsGridHandle,
  {
    datasource: IDatasource;
    onOpen: (row: RecordRow, rowIndex: number) => void;
    /** The keyboard focus moved to another row. */
    onFocusRow: (row: RecordRow, rowIndex: number) => void;
    onSelectionChange: (rows: RecordRow[]) => void;
    onColumnsChange: () => void;
  }
>(function RecordsGrid({ datasource, onOpen, onFocusRow, onSelectionChange, onColumnsChange }, ref) {
  const apiRef = useRef<GridApi<RecordRow> | null>(null);
  const columnDefs = useMemo(() => RECORD_COLUMNS.map(columnDef), []);
  const nonce = useMemo(() => styleNonce(), []);

  const persist = useCallback(() => {
    const api = apiRef.current;
    if (!api) return;
    saveColumnState(api.getColumnState().filter((c) => !c.colId.startsWith('ag-Grid-')));
    onColumnsChange();
  }, [onColumnsChange]);

  useImperativeHandle(
    ref,
    () => ({
      columns: () => {
        const api = apiRef.current;
        if (!api) return [];
        const labels = new Map(RECORD_COLUMNS.map((c) => [c.id, c.label]));
        return api
          .getColumnState()
          .filter((c: ColumnState) => labels.has(c.colId))
          .map((c: ColumnState) => ({ id: c.colId, label: labels.get(c.colId)!, visible: !c.hide }));
      },
      setColumnVisible: (id, visible) => {
        apiRef.current?.setColumnsVisible([id], visible);
        persist();
      },
      resetColumns: () => {
        const api = apiRef.current;
        if (!api) return;
        api.applyColumnState({
          state: RECORD_COLUMNS.map((c) => ({ colId: c.id, width: c.width, hide: !c.visible })),
          applyOrder: true,
        });
        persist();
      },
      focusRow: (rowIndex = 0) => {
        const api = apiRef.current;
        if (!api) return;
        const first = api.getAllDisplayedColumns().find((c) => !c.getColId().startsWith('ag-Grid-'));
        if (!first) return;
        api.ensureIndexVisible(rowIndex);
        api.setFocusedCell(rowIndex, first);
      },
      clearSelection: () => apiRef.current?.deselectAll(),
      refresh: () => apiRef.current?.refreshInfiniteCache(),
    }),
    [persist],
  );

  const onGridReady = useCallback((event: GridReadyEvent<RecordRow>) => {
    apiRef.current = event.api;
    const saved = loadColumnState();
    if (saved) event.api.applyColumnState({ state: saved, applyOrder: true });
  }, []);

  const rowAt = (rowIndex: number | null | undefined): RecordRow | undefined =>
    rowIndex === null || rowIndex === undefined ? undefined : apiRef.current?.getDisplayedRowAtIndex(rowIndex)?.data;

  return (
    <div className="records-grid">
      <AgGridReact<RecordRow>
        theme={gridTheme}
        styleNonce={nonce}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={BLOCK_SIZE}
        maxBlocksInCache={40}
        maxConcurrentDatasourceRequests={2}
        suppressOverlays={NO_ROWS_OVERLAY}
        blockLoadDebounceMillis={40}
        rowBuffer={ROW_BUFFER}
        animateRows={false}
        getRowId={GET_ROW_ID}
        columnDefs={columnDefs}
        defaultColDef={DEFAULT_COL_DEF}
        suppressMultiSort
        suppressFieldDotNotation
        suppressDragLeaveHidesColumns
        rowSelection={ROW_SELECTION}
        selectionColumnDef={SELECTION_COLUMN}
        enableBrowserTooltips
        onGridReady={onGridReady}
        onColumnMoved={(e) => e.finished && persist()}
        onColumnResized={(e) => e.finished && persist()}
        onColumnVisible={persist}
        onSelectionChanged={(e) => onSelectionChange(e.api.getSelectedRows())}
        onCellClicked={(e) => {
          if (e.data && !e.column.getColId().startsWith('ag-Grid-')) onOpen(e.data, e.rowIndex ?? 0);
        }}
        onCellKeyDown={(e: CellKeyDownEvent<RecordRow>) => {
          const event = e.event as KeyboardEvent | null;
          if (event?.key === 'Enter' && e.data && e.rowIndex !== null) onOpen(e.data, e.rowIndex);
          if (event) jumpToEdge(e.api, event, e.column);
        }}
        onCellFocused={(e: CellFocusedEvent<RecordRow>) => {
          const row = rowAt(e.rowIndex);
          if (row && e.rowIndex !== null) onFocusRow(row, e.rowIndex);
        }}
      />
    </div>
  );
});
