import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RecordDetail } from '../../../../shared/record-detail';
import type { RecordRow } from '../../../../shared/record-search';
import type { VerificationState } from '../../../../shared/verification-run';
import { api } from '../../api';
import { formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { useEscapeToClose } from '../../ui/useEscapeToClose';
import { DiffView, type DiffSide } from '../diff/DiffView';
import { ExportWizard } from '../export/ExportWizard';
import type { ExportContext } from '../export/export-draft';
import { RecordPanel, type RecordPlace } from '../record/RecordPanel';
import { ColumnChooser, type ChooserColumn } from './ColumnChooser';
import { DateRange } from './DateRange';
import { IndexPanel } from './IndexPanel';
import { QueryBar, type QueryBarHandle, type QuerySyntaxProblem } from './QueryBar';
import { recordsDatasource, requestIdSource, type RecordCriteria } from './records-datasource';
import { RecordsGrid, type RecordsGridHandle } from './RecordsGrid';
import { windowBounds, type TimeWindow } from './time-window';
import { useRecordIndex } from './useRecordIndex';

type Count = { state: 'searching' } | { state: 'done'; total: number; millis: number } | { state: 'failed'; message: string };

/** Delay before the open record follows the keyboard focus to another row. */
const FOLLOW_MS = 160;

/**
 * The Records screen: the query bar and time window, the grid of matching records with their
 * exact count, the record detail beside it, and the comparison of two records.
 * Keys: `/` focuses the query, Ctrl/Cmd+Enter runs it, arrows move in the grid, Enter opens the
 * record, Escape closes the detail or the comparison.
 */
export function RecordsView({ exportRequest = 0, verification }: { exportRequest?: number; verification?: VerificationState }) {
  const index = useRecordIndex();
  const ready = index.state?.status === 'ready';
  return (
    <div className="records">
      {ready ? (
        <RecordsWorkspace fields={index.fields} exportRequest={exportRequest} verification={verification} />
      ) : (
        <div className="records-gate">
          <IndexPanel index={index} />
        </div>
      )}
    </div>
  );
}

/** `exportRequest` counts File > Export… requests: each new one opens the export wizard. */
function RecordsWorkspace({
  fields,
  exportRequest,
  verification,
}: {
  fields: ReturnType<typeof useRecordIndex>['fields'];
  exportRequest: number;
  verification: VerificationState | undefined;
}) {
  const [queryText, setQueryText] = useState('');
  const [window_, setWindow] = useState<TimeWindow>({ from: '', through: '' });
  const [criteria, setCriteria] = useState<RecordCriteria>({ query: '' });
  const [count, setCount] = useState<Count>({ state: 'searching' });
  const [problem, setProblem] = useState<QuerySyntaxProblem | null>(null);
  const [selected, setSelected] = useState<RecordRow[]>([]);
  const [detail, setDetail] = useState<{ place: RecordPlace; rowIndex: number } | null>(null);
  const [diff, setDiff] = useState<{ left: DiffSide; right: DiffSide } | null>(null);
  const [comparing, setComparing] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const [columns, setColumns] = useState<ChooserColumn[]>([]);
  const queryBar = useRef<QueryBarHandle>(null);
  const grid = useRef<RecordsGridHandle>(null);
  const root = useRef<HTMLDivElement>(null);
  const nextRequestId = useMemo(() => requestIdSource(), []);
  const follow = useRef<number | undefined>(undefined);
  const latestRequest = useRef('');
  const [exporting, setExporting] = useState<ExportContext | null>(null);
  const exportButton = useRef<HTMLButtonElement>(null);
  const exportsHandled = useRef(0);

  const run = useCallback(() => {
    const bounds = windowBounds(window_);
    if ('invalid' in bounds) {
      setCount({ state: 'failed', message: `The ${bounds.invalid === 'from' ? 'From' : 'Through'} box does not hold a date or time (YYYY-MM-DD, or YYYY-MM-DDTHH:MM, UTC).` });
      return;
    }
    setProblem(null);
    setCriteria({ query: queryText.trim(), ...bounds, ...(bounds.to !== undefined ? { through: window_.through.trim() } : {}) });
  }, [queryText, window_]);

  useEffect(() => setCount({ state: 'searching' }), [criteria]);

  const datasource = useMemo(() => {
    const newId = () => (latestRequest.current = nextRequestId());
    return recordsDatasource(criteria, api.queryRecords, newId, {
      onRows: (total, millis, id) => id === latestRequest.current && setCount({ state: 'done', total, millis }),
      onSyntaxError: (message, position, id) => {
        if (id !== latestRequest.current) return;
        setProblem({ message, position, query: criteria.query });
        setCount({ state: 'failed', message: 'The query has a syntax error.' });
      },
      onFailure: (message, id) => id === latestRequest.current && setCount({ state: 'failed', message }),
    });
  }, [criteria, nextRequestId]);

  // A new verification result changes the rows' seals: the shown rows are read again, in place.
  const reportStamp = verification?.reportFinishedAt ?? null;
  const shownStamp = useRef(reportStamp);
  useEffect(() => {
    if (shownStamp.current === reportStamp) return;
    shownStamp.current = reportStamp;
    grid.current?.refresh();
  }, [reportStamp]);

  // The selection belongs to the rows of one query.
  useEffect(() => {
    grid.current?.clearSelection();
    setSelected([]);
  }, [criteria]);

  // `/` focuses the query, Ctrl/Cmd+Enter runs it, from anywhere on this screen.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!root.current || root.current.closest('[hidden]')) return;
      const target = event.target as HTMLElement | null;
      const typing = target !== null && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        queryBar.current?.focus();
      } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !typing) {
        event.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const closeDetail = useCallback(() => {
    const rowIndex = detail?.rowIndex;
    setDetail(null);
    setComparing({ busy: false, message: null });
    grid.current?.focusRow(rowIndex);
  }, [detail]);
  const closeDiff = useCallback(() => {
    setDiff(null);
    grid.current?.focusRow(detail?.rowIndex);
  }, [detail]);
  useEscapeToClose(diff !== null, closeDiff, root);
  useEscapeToClose(diff === null && detail !== null, closeDetail, root);

  const open = useCallback((row: RecordRow, rowIndex: number) => {
    window.clearTimeout(follow.current);
    setComparing({ busy: false, message: null });
    setDetail({ place: { file: row.file, line: row.line }, rowIndex });
  }, []);

  const onFocusRow = useCallback(
    (row: RecordRow, rowIndex: number) => {
      if (detail === null) return;
      window.clearTimeout(follow.current);
      follow.current = window.setTimeout(() => open(row, rowIndex), FOLLOW_MS);
    },
    [detail, open],
  );

  // The wizard exports what the grid shows: the query it ran, its time window, the checked rows.
  const openExport = useCallback(() => {
    // A wizard already open keeps the scope it was opened with.
    setExporting((open) => open ?? { query: criteria.query, from: criteria.from, to: criteria.to, through: criteria.through, selectedIds: [...new Set(selected.map((r) => r.activation_id))] });
  }, [criteria, selected]);
  const closeExport = useCallback(() => setExporting(null), []);
  // Back to the button once the dialog is gone (while it is modal the rest of the page is inert).
  const hadExport = useRef(false);
  useEffect(() => {
    if (exporting === null && hadExport.current) exportButton.current?.focus();
    hadExport.current = exporting !== null;
  }, [exporting]);
  useEffect(() => {
    if (exportRequest <= exportsHandled.current) return;
    exportsHandled.current = exportRequest;
    openExport();
  }, [exportRequest, openExport]);

  const compareSelected = () => {
    if (selected.length !== 2) return;
    const [a, b] = [...selected].sort((x, y) => (x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : 0));
    setDiff({ left: { file: a!.file, line: a!.line }, right: { file: b!.file, line: b!.line } });
  };

  const comparePrevious = async (record: RecordDetail) => {
    const value = record.parsed.ok ? record.parsed.value : undefined;
    const id = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>).activation_id : undefined;
    if (typeof id !== 'string') return;
    setComparing({ busy: true, message: null });
    const result = await api.getPreviousAttempt({ activationId: id });
    if (!result.ok) {
      setComparing({ busy: false, message: result.error.message });
      return;
    }
    const { previous, contentId } = result.value;
    if (!previous) {
      setComparing({
        busy: false,
        message: contentId === null ? 'This record has no content_input.content_id to look for.' : `No earlier attempt has content_id ${contentId}.`,
      });
      return;
    }
    setComparing({ busy: false, message: null });
    setDiff({ left: { file: previous.file, line: previous.line }, right: { file: record.file, line: record.line } });
  };

  return (
    <div className="records-workspace" ref={root}>
      <div className="records-toolbar">
        <QueryBar ref={queryBar} value={queryText} onChange={setQueryText} onRun={run} fields={fields} problem={problem} />
        <DateRange value={window_} onChange={setWindow} onRun={run} />
        <button type="button" className="button button-primary" onClick={run} title="Run the query (Enter, or Ctrl+Enter from anywhere)">
          Run
        </button>
        <span className="toolbar-divider" aria-hidden="true" />
        <button type="button" className="button" disabled={selected.length !== 2} onClick={compareSelected} title="Select two rows with their checkboxes to compare them">
          Compare{selected.length > 0 ? ` (${selected.length})` : ''}
        </button>
        <ColumnChooser
          columns={columns}
          onOpen={() => setColumns(grid.current?.columns() ?? [])}
          onToggle={(id, visible) => grid.current?.setColumnVisible(id, visible)}
          onReset={() => grid.current?.resetColumns()}
        />
        <button
          ref={exportButton}
          type="button"
          className="button"
          onClick={openExport}
          title="Export this query's records, or the checked rows: redacted, with a manifest that proves each record"
        >
          Export…
        </button>
      </div>
      <div className={detail ? 'records-main has-detail' : 'records-main'}>
        <div className="records-table">
          <RecordsGrid
            ref={grid}
            datasource={datasource}
            onOpen={open}
            onFocusRow={onFocusRow}
            onSelectionChange={setSelected}
            onColumnsChange={() => setColumns(grid.current?.columns() ?? [])}
          />
          {count.state === 'done' && count.total === 0 && (
            <div className="records-empty">
              <p>No record matches.</p>
              <p className="muted">Free text searches the whole record; field:value compares one field (see the field names as you type).</p>
            </div>
          )}
          <div className="records-statusbar">
            <span className="records-count" role="status">
              {count.state === 'searching'
                ? 'Searching…'
                : count.state === 'done'
                  ? `${formatCount(count.total)} matching ${count.total === 1 ? 'record' : 'records'}`
                  : 'No results'}
            </span>
            {count.state === 'done' && <span className="records-time">{count.millis < 1 ? '<1' : formatCount(Math.round(count.millis))} ms</span>}
            {count.state === 'failed' && (
              <span className="records-failure">
                <InertText text={count.message} />
              </span>
            )}
            <span className="records-keys" aria-hidden="true">
              <kbd>/</kbd> search <kbd>↑↓</kbd> move <kbd>Enter</kbd> open <kbd>Space</kbd> select <kbd>Ctrl</kbd>+<kbd>Enter</kbd> run
            </span>
          </div>
        </div>
        {detail && (
          <RecordPanel
            place={detail.place}
            onClose={closeDetail}
            verification={verification}
            compare={{ onComparePrevious: (r) => void comparePrevious(r), comparing }}
          />
        )}
      </div>
      {exporting && <ExportWizard context={exporting} onClose={closeExport} />}
      {diff && (
        <div className="diff-layer">
          <DiffView left={diff.left} right={diff.right} onClose={closeDiff} />
        </div>
      )}
    </div>
  );
}
