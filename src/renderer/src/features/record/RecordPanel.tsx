import { useEffect, useId, useRef, useState } from 'react';
import { explainKind, isWarningKind } from '../../../../shared/findings';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { RecordDetail } from '../../../../shared/record-detail';
import type { RecordAtLine } from '../../../../shared/record-view';
import type { ReportFinding, ReportWarning } from '../../../../shared/verification-report';
import { api } from '../../api';
import { formatBytes, formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { IntegrityIcon } from '../../ui/IntegrityIcon';
import { dayIntegrity, type DayIntegrity, type IntegrityClass } from '../../../../shared/integrity-class';
import type { VerificationState } from '../../../../shared/verification-run';
import { TrustShippedKey } from '../keys/TrustShippedKey';
import { useEscapeToClose } from '../../ui/useEscapeToClose';
import { JsonTree } from './JsonTree';
import { Notes } from './Notes';
import { SealSection } from './SealSection';

export interface RecordPlace {
  file: string;
  line: number;
}

export interface ComparePrevious {
  onComparePrevious: (record: RecordDetail) => void;
  /** Set while the previous attempt is being looked up, or why there is none. */
  comparing: { busy: boolean; message: string | null };
}

type RecordPanelProps = {
  place: RecordPlace;
  onClose: () => void;
  /** The archive's verification state: the record's day as it found it, and when to read the record again. */
  verification?: VerificationState;
} & (
  | {
      /** Opened from this integrity finding (or consistency warning): the line is read as stored, without the index. */
      finding: ReportFinding | ReportWarning;
      compare?: undefined;
    }
  | {
      finding?: undefined;
      /** Opened from the grid: the record with its findings, its seal and a comparison. */
      compare: ComparePrevious;
    }
);

/**
 * One record in full: its schema violations, the parsed record as a tree (copy any value or path)
 * and the raw line as stored.
 *
 * Opened from an integrity finding, it is a non-modal dialog over the findings that shows the
 * finding, takes the focus and closes on Escape (the opener gets the focus back). Opened from the
 * grid, it sits beside it and adds the line's findings, its seal explained and "Compare with
 * previous attempt"; the record shows at once, the seal follows when the day's proof is computed.
 * There the Records screen owns Escape, which closes an open comparison first.
 */
export function RecordPanel({ place, onClose, finding, compare, verification }: RecordPanelProps) {
  const fromGrid = compare !== undefined;
  const loaded = useRecord(place, fromGrid, verification?.reportFinishedAt ?? null);
  const day = dayIntegrity(verification?.report, place.file);
  const record = loaded.result?.ok ? loaded.result.value : undefined;
  const { detail } = loaded;
  const activationId = recordString(record, 'activation_id');
  const titleId = useId();
  const closeButton = useRef<HTMLButtonElement>(null);

  useEscapeToClose(!fromGrid, onClose);
  useEffect(() => {
    if (!fromGrid) closeButton.current?.focus();
  }, [fromGrid, finding, place]);

  return (
    <aside
      className={fromGrid ? 'detail-panel' : 'record-panel'}
      role={fromGrid ? undefined : 'dialog'}
      aria-modal={fromGrid ? undefined : false}
      aria-labelledby={titleId}
    >
      <div className="detail-header">
        <div className="detail-title-row">
          <h2 id={titleId}>
            {fromGrid ? (
              <>
                Record{' '}
                <span className="detail-id mono">
                  <InertText text={activationId ?? `line ${place.line}`} />
                </span>
              </>
            ) : (
              `Record at line ${formatCount(place.line)}`
            )}
          </h2>
          <button
            ref={closeButton}
            type="button"
            className="button button-small"
            onClick={onClose}
            aria-label={fromGrid ? 'Close record' : 'Close record panel'}
          >
            Close <kbd>Esc</kbd>
          </button>
        </div>
        <div className="detail-meta-row">
          <span className="detail-place mono">
            <InertText text={`${place.file}:${place.line}`} />
          </span>
          {detail?.integrity && <IntegrityIcon state={detail.integrity} withText />}
          {compare && (
            <button
              type="button"
              className="button button-small detail-compare"
              disabled={!detail || activationId === undefined || compare.comparing.busy}
              onClick={() => detail && compare.onComparePrevious(detail)}
            >
              Compare with previous attempt
            </button>
          )}
        </div>
      </div>
      {detail?.integrity && <RecordIntegrity integrity={detail.integrity} day={day} ownFindings={detail.findings.length} />}
      {compare && compare.comparing.message !== null && (
        <p className="detail-message" role="status">
          <InertText text={compare.comparing.message} />
        </p>
      )}
      <div className="detail-body">
        {finding && <FindingCallout finding={finding} />}
        {loaded.result === undefined && <p className="loading">Reading the record…</p>}
        {loaded.result && !loaded.result.ok && (
          <p className="error-text" role="alert">
            <InertText text={loaded.result.error.message} />
          </p>
        )}
        {record && <RecordBody record={record} idInTitle={fromGrid} findings={detail?.findings ?? []} seal={fromGrid ? loaded.seal : undefined} />}
      </div>
    </aside>
  );
}

interface SealState {
  pending: boolean;
  error: string | null;
  explanation: RecordDetail['seal'];
}

/**
 * The record at `place`: as a plain line, or (`fromIndex`) as the archive's record with its
 * findings and integrity, asked twice: at once without the seal, then with it.
 */
function useRecord(place: RecordPlace, fromIndex: boolean, reportStamp: string | null) {
  const [plain, setPlain] = useState<IpcResult<RecordAtLine>>();
  const [quick, setQuick] = useState<IpcResult<RecordDetail>>();
  const [full, setFull] = useState<IpcResult<RecordDetail>>();
  const { file, line } = place;

  useEffect(() => {
    let current = true;
    setPlain(undefined);
    setQuick(undefined);
    setFull(undefined);
    if (fromIndex) {
      void api.getRecord({ file, line, seal: false }).then((r) => current && setQuick(r));
      void api.getRecord({ file, line }).then((r) => current && setFull(r));
    } else {
      void api.getRecordAt({ file, line }).then((r) => current && setPlain(r));
    }
    return () => {
      current = false;
    };
    // A new verification result (reportStamp) changes the record's integrity: read it again.
  }, [file, line, fromIndex, reportStamp]);

  const indexed = full?.ok ? full : (quick ?? full);
  const seal: SealState = {
    pending: full === undefined,
    error: full && !full.ok ? full.error.message : null,
    explanation: full?.ok ? full.value.seal : null,
  };
  return { result: fromIndex ? indexed : plain, detail: indexed?.ok ? indexed.value : undefined, seal };
}

/**
 * The record's integrity in a sentence: why it is green, amber, red or grey, from its own findings
 * and its day's verification, with the one action that helps when the key is not trusted.
 */
function RecordIntegrity({ integrity, day, ownFindings }: { integrity: IntegrityClass; day: DayIntegrity; ownFindings: number }) {
  const keyId = day.key?.keyId;
  let text: string;
  switch (integrity) {
    case 'verified':
      text = `Intact: it hashes to its seal, links into the chain, and its day is signed by key ${keyId ?? '?'}, which you trust.`;
      break;
    case 'untrusted_key':
      text = `Intact, but its day is signed by key ${keyId ?? '?'}, which you have not trusted: authentic only if that key is the publisher's.`;
      break;
    case 'invalid':
      text =
        ownFindings > 0
          ? `A finding concerns this record${day.findingKinds.length > ownFindings ? `, and its day file has findings too (${day.findingKinds.join(', ')})` : ''}.`
          : `Its day file has findings (${day.findingKinds.join(', ') || 'see Integrity'}): no record of that day can be trusted.`;
      break;
    case 'unsealed':
      text = 'The archive is unsealed: nothing about this record can be verified.';
      break;
    case 'unknown':
      text = 'Not verified yet: the archive\'s verification has no result for this record.';
      break;
  }
  return (
    <div className={`record-integrity is-${integrity}`} role="note" aria-label="Record integrity">
      <p>{text}</p>
      {integrity === 'untrusted_key' && day.key && <TrustShippedKey keyInfo={day.key} />}
    </div>
  );
}

function recordString(record: RecordAtLine | undefined, key: string): string | undefined {
  const v = record?.parsed.ok ? record.parsed.value : undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
  const s = (v as Record<string, unknown>)[key];
  return typeof s === 'string' ? s : undefined;
}

function FindingCallout({ finding }: { finding: ReportFinding | ReportWarning }) {
  const warning = 'rule' in finding || isWarningKind(finding.kind);
  return (
    <div className={`finding-callout${warning ? ' is-warning' : ''}`}>
      <p>
        {warning && <span className="callout-label">Consistency warning</span>}
        <code className="kind-name">{finding.kind}</code>
        {'rule' in finding && finding.rule && <code className="rule-name">{finding.rule}</code>}
        {finding.seq !== undefined && <span className="finding-seq">seq {formatCount(finding.seq)}</span>}
      </p>
      <p className="kind-explanation">{explainKind(finding.kind)}</p>
      <p className="finding-message">
        <InertText text={finding.message} />
      </p>
    </div>
  );
}

function RecordBody({
  record,
  idInTitle,
  findings,
  seal,
}: {
  record: RecordAtLine;
  /** The panel's title names the record, so the facts need not. */
  idInTitle: boolean;
  findings: readonly ReportFinding[];
  seal: SealState | undefined;
}) {
  const parsedId = useId();
  const rawId = useId();
  const activationId = idInTitle ? undefined : recordString(record, 'activation_id');
  const timestamp = recordString(record, 'timestamp');
  const facts: [string, string][] = [];
  if (activationId !== undefined) facts.push(['activation_id', activationId]);
  if (timestamp !== undefined) facts.push(['timestamp', timestamp]);
  facts.push(['size', `${formatBytes(record.bytes)} at byte offset ${formatCount(record.offset)}`]);
  return (
    <>
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
      <Notes notes={record.notes} className="record-notes" />
      {findings.length > 0 && <LineFindings findings={findings} violations={record.violations.length} />}
      {record.violations.length > 0 && <Violations violations={record.violations} />}
      {seal && <SealSection seal={seal.pending ? null : seal.explanation} error={seal.error} file={record.file} />}
      <section className="record-section" aria-labelledby={parsedId}>
        <h3 id={parsedId}>Parsed record</h3>
        {record.parsed.ok ? (
          <JsonTree value={record.parsed.value} label="Parsed record" violations={record.violations} copyable />
        ) : (
          <p className="error-text">
            <InertText text={record.parsed.error} />
          </p>
        )}
      </section>
      <section className="record-section" aria-labelledby={rawId}>
        <h3 id={rawId}>Raw line</h3>
        <pre className="raw-line" aria-labelledby={rawId} tabIndex={0}>
          <InertText text={record.raw} />
        </pre>
        {record.rawTruncated && <p className="muted">Only the start of this {formatBytes(record.bytes)} line is shown.</p>}
      </section>
    </>
  );
}

function LineFindings({ findings, violations }: { findings: readonly ReportFinding[]; violations: number }) {
  const headingId = useId();
  return (
    <section className="detail-findings" aria-labelledby={headingId}>
      <h3 id={headingId}>{findings.length === 1 ? '1 finding on this line' : `${formatCount(findings.length)} findings on this line`}</h3>
      <ul>
        {findings.map((f, i) => (
          <li key={i}>
            <code className="kind-name">{f.kind}</code>{' '}
            {f.kind === 'schema_violation' && violations > 0 ? (
              // The same violations are listed, each at its path, just below.
              'The record breaks the ActivationLog schema; the violations are listed below and marked in the record.'
            ) : (
              <InertText text={f.message} />
            )}
            <span className="visually-hidden"> {explainKind(f.kind)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const VIOLATIONS_SHOWN = 5;

function Violations({ violations }: { violations: RecordAtLine['violations'] }) {
  const [all, setAll] = useState(false);
  const headingId = useId();
  const shown = all ? violations : violations.slice(0, VIOLATIONS_SHOWN);
  return (
    <section className="record-violations" aria-labelledby={headingId}>
      <h3 id={headingId}>
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
