import { useState } from 'react';
import { explainKind } from '../../../../shared/findings';
import type { FileReport, ReportFinding, ReportWarning, VerificationReport } from '../../../../shared/verification-report';
import { formatCount, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { FindingRow, type OpenedFinding } from './FindingsList';

/** Warnings shown per file before "Show all". */
const SHOWN_PER_FILE = 50;

/**
 * Consistency warnings (completeness-erasure.md, section 2), apart from the findings and quieter
 * than them: records sealed as the producer wrote them, which cannot be right. They change no
 * status and no verdict; each opens its record.
 */
export function WarningsList({
  report,
  selected,
  onOpen,
}: {
  report: VerificationReport;
  selected: ReportFinding | ReportWarning | null;
  onOpen: (target: OpenedFinding, opener: HTMLElement) => void;
}) {
  const files = report.files.filter((f) => f.warnings.length > 0 || f.omittedWarnings.length > 0);
  const total = report.summary.warnings;
  return (
    <section className="warnings" aria-labelledby="warnings-heading">
      <h2 id="warnings-heading" className="section-title is-secondary">
        Warnings <span className="section-note">consistency · {total === 0 ? 'none' : plural(total, 'warning')}</span>
      </h2>
      <p className="warnings-help">
        Records sealed exactly as the producer wrote them, but implausible: a timestamp out of order (beyond {report.summary.skewSeconds} s) or
        on another day than its file, or a record that contradicts itself. They never change a file&apos;s status or the verdict.
      </p>
      {files.length === 0 ? (
        <p className="empty-note compact">No record is out of order, on the wrong day, or inconsistent.</p>
      ) : (
        <div className="warning-groups">
          {files.map((f) => (
            <WarningGroup key={f.file} file={f} selected={selected} onOpen={onOpen} />
          ))}
        </div>
      )}
    </section>
  );
}

function WarningGroup({
  file,
  selected,
  onOpen,
}: {
  file: FileReport;
  selected: ReportFinding | ReportWarning | null;
  onOpen: (target: OpenedFinding, opener: HTMLElement) => void;
}) {
  const [open, setOpen] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const omitted = file.omittedWarnings.reduce((n, o) => n + o.count, 0);
  const count = file.warnings.length + omitted;
  const byKind = new Map<string, number>();
  for (const w of file.warnings) byKind.set(w.rule ?? w.kind, (byKind.get(w.rule ?? w.kind) ?? 0) + 1);
  const shown = showAll ? file.warnings : file.warnings.slice(0, SHOWN_PER_FILE);
  const bodyId = `warnings-${file.file.replace(/[^A-Za-z0-9-]/g, '-')}`;
  return (
    <section className={`warning-group${open ? ' is-open' : ''}`} aria-label={`Warnings of ${file.file}`}>
      <h3 className="group-heading">
        <button type="button" className="group-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
          <span className="tree-caret" aria-hidden="true" />
          <span className="mono group-title">
            <InertText text={file.file} />
          </span>
          {!open && (
            <span className="group-kinds" aria-hidden="true">
              {[...byKind].map(([k, n]) => (
                <code key={k} className="kind-chip is-warning">
                  {k} ×{formatCount(n)}
                </code>
              ))}
            </span>
          )}
          <span className="card-meta">{plural(count, 'warning')}</span>
        </button>
      </h3>
      <div id={bodyId} hidden={!open}>
        {open && (
          <>
            <ul className="finding-list warning-list">
              {shown.map((w, i) => (
                <li key={`${w.line ?? 'x'}-${i}`}>
                  <FindingRow
                    dataFile={file.file}
                    finding={w}
                    chip={
                      <code className="warning-kind" title={explainKind(w.kind)}>
                        {w.rule ?? w.kind}
                      </code>
                    }
                    selected={w === selected}
                    onOpen={onOpen}
                  />
                </li>
              ))}
            </ul>
            {file.warnings.length > shown.length && (
              <button type="button" className="link-button show-more" onClick={() => setShowAll(true)}>
                Show all {formatCount(file.warnings.length)} warnings
              </button>
            )}
            {file.omittedWarnings.map((o) => (
              <p key={o.kind} className="omitted-note">
                … and {formatCount(o.count)} more <code>{o.kind}</code>, lines {formatCount(o.firstLine)}–{formatCount(o.lastLine)}, counted but not listed.
              </p>
            ))}
          </>
        )}
      </div>
    </section>
  );
}
