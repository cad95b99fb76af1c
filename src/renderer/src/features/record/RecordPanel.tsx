import { useEffect, useRef, useState } from 'react';
import { FINDING_EXPLANATIONS } from '../../../../shared/findings';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { RecordAtLine } from '../../../../shared/record-view';
import { api } from '../../api';
import { formatBytes, formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import type { OpenedFinding } from '../integrity/FindingsList';
import { JsonTree } from './JsonTree';

/**
 * The line a finding points at: the raw text exactly as stored and the parsed record as a tree.
 * A non-modal side panel; Escape or Close returns focus to the finding that opened it.
 */
export function RecordPanel({ target, onClose }: { target: OpenedFinding; onClose: () => void }) {
  const [record, setRecord] = useState<IpcResult<RecordAtLine>>();
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let current = true;
    setRecord(undefined);
    void api.getRecordAt({ file: target.file, line: target.line }).then((result) => {
      if (current) setRecord(result);
    });
    return () => {
      current = false;
    };
  }, [target.file, target.line]);

  useEffect(() => {
    closeButton.current?.focus();
  }, [target]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const { finding } = target;
  return (
    <aside className="record-panel" role="dialog" aria-modal="false" aria-labelledby="record-panel-title">
      <div className="record-panel-header">
        <div className="record-panel-heading">
          <h2 id="record-panel-title">Record at line {formatCount(target.line)}</h2>
          <p className="mono record-file">
            <InertText text={target.file} />
          </p>
        </div>
        <button ref={closeButton} type="button" className="button" onClick={onClose} aria-label="Close record panel">
          Close <kbd>Esc</kbd>
        </button>
      </div>
      <div className="record-panel-body">
        <div className="finding-callout">
          <p>
            <code className="kind-name">{finding.kind}</code>
            {finding.seq !== undefined && <span className="finding-seq">seq {formatCount(finding.seq)}</span>}
          </p>
          <p className="kind-explanation">{FINDING_EXPLANATIONS[finding.kind]}</p>
          <p className="finding-message">
            <InertText text={finding.message} />
          </p>
        </div>
        <RecordBody record={record} />
      </div>
    </aside>
  );
}

function RecordBody({ record }: { record: IpcResult<RecordAtLine> | undefined }) {
  if (record === undefined) return <p className="loading">Reading the line…</p>;
  if (!record.ok) {
    return (
      <p className="error-text" role="alert">
        <InertText text={record.error.message} />
      </p>
    );
  }
  const r = record.value;
  return (
    <>
      <RecordFacts record={r} />
      {r.notes.length > 0 && (
        <ul className="record-notes">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {r.violations.length > 0 && <SchemaViolations violations={r.violations} />}
      <section className="record-section" aria-labelledby="parsed-heading">
        <h3 id="parsed-heading">Parsed record</h3>
        {r.parsed.ok ? (
          <JsonTree value={r.parsed.value} label="Parsed record" violations={r.violations} copyable />
        ) : (
          <p className="error-text">
            <InertText text={r.parsed.error} />
          </p>
        )}
      </section>
      <section className="record-section" aria-labelledby="raw-heading">
        <h3 id="raw-heading">Raw line</h3>
        <pre className="raw-line" aria-labelledby="raw-heading" tabIndex={0}>
          <InertText text={r.raw} />
        </pre>
        {r.rawTruncated && <p className="muted">Only the start of this {formatBytes(r.bytes)} line is shown.</p>}
      </section>
    </>
  );
}

/** The fields a reader looks for first, when the line is a record. */
function RecordFacts({ record }: { record: RecordAtLine }) {
  const value = record.parsed.ok ? record.parsed.value : undefined;
  const field = (name: string): string | undefined => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    const v = (value as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  };
  const facts: [string, string][] = [];
  const id = field('activation_id');
  const timestamp = field('timestamp');
  if (id !== undefined) facts.push(['activation_id', id]);
  if (timestamp !== undefined) facts.push(['timestamp', timestamp]);
  facts.push(['size', `${formatBytes(record.bytes)} at byte offset ${formatCount(record.offset)}`]);
  return (
    <dl className="record-facts">
      {facts.map(([k, v]) => (
        <div key={k} className="record-fact">
          <dt>{k}</dt>
          <dd>
            <InertText text={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

const VIOLATIONS_SHOWN = 4;

function SchemaViolations({ violations }: { violations: RecordAtLine['violations'] }) {
  const [all, setAll] = useState(false);
  const shown = all ? violations : violations.slice(0, VIOLATIONS_SHOWN);
  return (
    <section className="record-violations" aria-labelledby="violations-heading">
      <h3 id="violations-heading">
        {violations.length === 1 ? '1 schema violation' : `${formatCount(violations.length)} schema violations`}
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
