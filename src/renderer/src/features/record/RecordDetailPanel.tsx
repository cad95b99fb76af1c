import { useEffect, useRef, useState } from 'react';
import { FINDING_EXPLANATIONS } from '../../../../shared/findings';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { RecordDetail } from '../../../../shared/record-detail';
import { api } from '../../api';
import { formatBytes, formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { IntegrityIcon } from '../../ui/IntegrityIcon';
import { JsonTree } from './JsonTree';
import { SealSection } from './SealSection';

export interface RecordPlace {
  file: string;
  line: number;
}

/**
 * One record in full, beside the grid: its findings and schema violations, its seal explained,
 * the parsed record as a tree (copy any value or path) and the raw line as stored. The record
 * shows at once; the seal follows when the day's proof is computed.
 */
export function RecordDetailPanel({
  place,
  onClose,
  onComparePrevious,
  comparing,
}: {
  place: RecordPlace;
  onClose: () => void;
  onComparePrevious: (record: RecordDetail) => void;
  /** Set while the previous attempt is being looked up, or why there is none. */
  comparing: { busy: boolean; message: string | null };
}) {
  const [quick, setQuick] = useState<IpcResult<RecordDetail>>();
  const [full, setFull] = useState<IpcResult<RecordDetail>>();

  useEffect(() => {
    let current = true;
    setQuick(undefined);
    setFull(undefined);
    void api.getRecord({ file: place.file, line: place.line, seal: false }).then((r) => current && setQuick(r));
    void api.getRecord({ file: place.file, line: place.line }).then((r) => current && setFull(r));
    return () => {
      current = false;
    };
  }, [place.file, place.line]);

  const result = full?.ok ? full : (quick ?? full);
  const record = result?.ok ? result.value : undefined;
  const activationId = recordString(record, 'activation_id');
  return (
    <aside className="detail-panel" aria-labelledby="detail-title">
      <div className="detail-header">
        <div className="detail-title-row">
          <h2 id="detail-title">
            Record{' '}
            <span className="detail-id mono">
              <InertText text={activationId ?? `line ${place.line}`} />
            </span>
          </h2>
          <button type="button" className="button button-small" onClick={onClose} aria-label="Close record">
            Close <kbd>Esc</kbd>
          </button>
        </div>
        <div className="detail-meta-row">
          <span className="detail-place mono">
            <InertText text={`${place.file}:${place.line}`} />
          </span>
          {record?.integrity && <IntegrityIcon state={record.integrity} withText />}
          <button
            type="button"
            className="button button-small detail-compare"
            disabled={!record || activationId === undefined || comparing.busy}
            onClick={() => record && onComparePrevious(record)}
          >
            Compare with previous attempt
          </button>
        </div>
      </div>
      {comparing.message !== null && (
        <p className="detail-message" role="status">
          <InertText text={comparing.message} />
        </p>
      )}
      <div className="detail-body">
        {result === undefined && <p className="loading">Reading the record…</p>}
        {result && !result.ok && (
          <p className="error-text" role="alert">
            <InertText text={result.error.message} />
          </p>
        )}
        {record && <RecordBody record={record} sealPending={full === undefined} sealError={full && !full.ok ? full.error.message : null} />}
      </div>
    </aside>
  );
}

function recordString(record: RecordDetail | undefined, key: string): string | undefined {
  const v = record?.parsed.ok ? record.parsed.value : undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
  const s = (v as Record<string, unknown>)[key];
  return typeof s === 'string' ? s : undefined;
}

function RecordBody({ record, sealPending, sealError }: { record: RecordDetail; sealPending: boolean; sealError: string | null }) {
  const timestamp = recordString(record, 'timestamp');
  return (
    <>
      <dl className="record-facts">
        {timestamp !== undefined && (
          <div className="record-fact">
            <dt>timestamp</dt>
            <dd>
              <InertText text={timestamp} />
            </dd>
          </div>
        )}
        <div className="record-fact">
          <dt>size</dt>
          <dd>
            {formatBytes(record.bytes)} at byte offset {formatCount(record.offset)}
          </dd>
        </div>
      </dl>
      {record.notes.length > 0 && (
        <ul className="record-notes">
          {record.notes.map((n) => (
            <li key={n}>
              <InertText text={n} />
            </li>
          ))}
        </ul>
      )}
      {record.findings.length > 0 && (
        <section className="detail-findings" aria-labelledby="detail-findings-heading">
          <h3 id="detail-findings-heading">{record.findings.length === 1 ? '1 finding on this line' : `${formatCount(record.findings.length)} findings on this line`}</h3>
          <ul>
            {record.findings.map((f, i) => (
              <li key={i}>
                <code className="kind-name">{f.kind}</code>{' '}
                {f.kind === 'schema_violation' && record.violations.length > 0 ? (
                  // The same violations are listed, each at its path, just below.
                  'The record breaks the ActivationLog schema; the violations are listed below and marked in the record.'
                ) : (
                  <InertText text={f.message} />
                )}
                <span className="visually-hidden"> {FINDING_EXPLANATIONS[f.kind]}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {record.violations.length > 0 && <Violations violations={record.violations} />}
      {sealError !== null ? (
        <section className="record-section">
          <h3>Seal</h3>
          <p className="error-text">
            <InertText text={sealError} />
          </p>
        </section>
      ) : (
        <SealSection seal={sealPending ? null : record.seal} file={record.file} />
      )}
      <section className="record-section" aria-labelledby="detail-parsed-heading">
        <h3 id="detail-parsed-heading">Record</h3>
        {record.parsed.ok ? (
          <JsonTree value={record.parsed.value} label="Parsed record" violations={record.violations} copyable />
        ) : (
          <p className="error-text">
            <InertText text={record.parsed.error} />
          </p>
        )}
      </section>
      <section className="record-section" aria-labelledby="detail-raw-heading">
        <h3 id="detail-raw-heading">Raw line</h3>
        <pre className="raw-line" aria-labelledby="detail-raw-heading" tabIndex={0}>
          <InertText text={record.raw} />
        </pre>
        {record.rawTruncated && <p className="muted">Only the start of this {formatBytes(record.bytes)} line is shown.</p>}
      </section>
    </>
  );
}

const VIOLATIONS_SHOWN = 5;

function Violations({ violations }: { violations: RecordDetail['violations'] }) {
  const [all, setAll] = useState(false);
  const shown = all ? violations : violations.slice(0, VIOLATIONS_SHOWN);
  return (
    <section className="record-violations" aria-labelledby="detail-violations-heading">
      <h3 id="detail-violations-heading">
        {violations.length === 1 ? '1 schema violation' : `${formatCount(violations.length)} schema violations`} (marked in the record below)
      </h3>
      <ul>
        {shown.map((v, i) => (
          <li key={i}>
            <span className="mono">{v.path ? <InertText text={v.path} /> : '(record)'}</span> <InertText text={v.message} />
          </li>
        ))}
      </ul>
      {violations.length > shown.length && (
        <button type="button" className="link-button" onClick={() => setAll(true)}>
          Show all {formatCount(violations.length)}
        </button>
      )}
    </section>
  );
}

/** Focus management for the panel: Escape closes it (unless something inside handled the key). */
export function useEscapeToClose(active: boolean, onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        close.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);
}
