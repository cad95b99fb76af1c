import { useEffect, useRef, useState, type ReactNode } from 'react';
import { FINDING_EXPLANATIONS } from '../../../../shared/findings';
import type { ReportFinding, ReportWarning, VerificationReport } from '../../../../shared/verification-report';
import { formatCount, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { Badge, FileVerdictBadge } from '../../ui/StatusBadge';
import { groupFindings, type FindingGroup, type KindGroup } from './finding-groups';

/** Findings shown per kind and file before "Show all". */
const SHOWN_PER_KIND = 50;
/** Up to this many files with findings start unfolded. */
const EXPANDED_GROUPS = 3;

export interface OpenedFinding {
  file: string;
  line: number;
  /** The finding, or the consistency warning, that opened the record. */
  finding: ReportFinding | ReportWarning;
}

export function FindingsList({
  report,
  focusFile,
  selected,
  onOpen,
}: {
  report: VerificationReport;
  focusFile: { file: string } | null;
  selected: ReportFinding | ReportWarning | null;
  onOpen: (target: OpenedFinding, opener: HTMLElement) => void;
}) {
  const groups = groupFindings(report);
  if (groups.length === 0) {
    return (
      <p className="empty-note">
        {report.summary.sealed ? 'No findings: every file and digest checks out.' : 'No findings, but the archive is unsealed, so nothing could be proven.'}
      </p>
    );
  }
  return (
    <div className="finding-groups">
      {groups.map((g, i) => (
        <FileGroup
          key={g.name}
          group={g}
          // A few files are shown open; a long list starts folded to one line per file.
          defaultOpen={groups.length <= EXPANDED_GROUPS || (i === 0 && focusFile === null)}
          focus={g.name === focusFile?.file ? focusFile : null}
          selected={selected}
          onOpen={onOpen}
        />
      ))}
    </div>
  );
}

function FileGroup({
  group,
  defaultOpen,
  focus,
  selected,
  onOpen,
}: {
  group: FindingGroup;
  defaultOpen: boolean;
  /** Set when the user asked to see this file's findings. */
  focus: { file: string } | null;
  selected: ReportFinding | ReportWarning | null;
  onOpen: FindingsListOpen;
}) {
  const ref = useRef<HTMLElement>(null);
  const focused = focus !== null;
  const [open, setOpen] = useState(defaultOpen || focused);
  useEffect(() => {
    if (focus === null) return;
    setOpen(true);
    ref.current?.scrollIntoView({ block: 'start' });
  }, [focus]);
  const headingId = `group-${group.name.replace(/[^A-Za-z0-9-]/g, '-')}`;
  const bodyId = `${headingId}-body`;
  return (
    <section ref={ref} className={`card finding-group${focused ? ' is-focused' : ''}${open ? ' is-open' : ''}`} aria-labelledby={headingId}>
      <h3 className="group-heading">
        <button type="button" className="group-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setOpen((o) => !o)}>
          <span className="tree-caret" aria-hidden="true" />
          <span id={headingId} className="mono group-title">
            <InertText text={group.name} />
          </span>
          {group.missing ? <Badge tone="bad">not in the archive</Badge> : <FileVerdictBadge verdict={group.verdict} />}
          {!open && (
            <span className="group-kinds" aria-hidden="true">
              {group.kinds.map((k) => (
                <code key={k.kind} className={`kind-chip${k.kind === 'untrusted_key' ? ' is-key' : ''}`}>
                  {k.kind} ×{formatCount(k.findings.length)}
                </code>
              ))}
            </span>
          )}
          <span className="card-meta">{plural(group.total, 'finding')}</span>
        </button>
      </h3>
      <div id={bodyId} hidden={!open}>
        {open &&
          group.kinds.map((k) => <KindSection key={k.kind} group={group} kind={k} selected={selected} onOpen={onOpen} />)}
      </div>
    </section>
  );
}

type FindingsListOpen = (target: OpenedFinding, opener: HTMLElement) => void;

function KindSection({
  group,
  kind,
  selected,
  onOpen,
}: {
  group: FindingGroup;
  kind: KindGroup;
  selected: ReportFinding | ReportWarning | null;
  onOpen: FindingsListOpen;
}) {
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? kind.findings : kind.findings.slice(0, SHOWN_PER_KIND);
  return (
    <div className={`kind-section${kind.kind === 'untrusted_key' ? ' is-key' : ''}`}>
      <div className="kind-header">
        <code className="kind-name">{kind.kind}</code>
        <span className="kind-count">×{formatCount(kind.findings.length)}</span>
        <p className="kind-explanation">{FINDING_EXPLANATIONS[kind.kind]}</p>
      </div>
      <ul className="finding-list">
        {shown.map((f, i) => (
          <li key={`${f.line ?? 'x'}-${i}`}>
            <FindingRow dataFile={group.dataFile} finding={f} selected={f === selected} onOpen={onOpen} />
          </li>
        ))}
      </ul>
      {kind.findings.length > shown.length && (
        <button type="button" className="link-button show-more" onClick={() => setShowAll(true)}>
          Show all {formatCount(kind.findings.length)} {kind.kind} findings
        </button>
      )}
    </div>
  );
}

/** One finding (or consistency warning) of a file; a link to its record when it names a line. */
export function FindingRow({
  dataFile,
  finding,
  chip,
  selected,
  onOpen,
}: {
  dataFile: string | null;
  finding: ReportFinding | ReportWarning;
  /** Shown before the message (a warning's rule). */
  chip?: ReactNode;
  selected: boolean;
  onOpen: FindingsListOpen;
}) {
  const date = 'date' in finding ? finding.date : undefined;
  const rule = 'rule' in finding ? finding.rule : undefined;
  const where = (
    <>
      <span className="finding-where">
        {finding.line !== undefined ? (
          <>line {formatCount(finding.line)}</>
        ) : date !== undefined ? (
          <span>{date}</span>
        ) : (
          <span className="muted">whole file</span>
        )}
        {finding.seq !== undefined && <span className="finding-seq">seq {formatCount(finding.seq)}</span>}
      </span>
      <span className="finding-message">
        {chip}
        {chip && ' '}
        <InertText text={finding.message} />
      </span>
    </>
  );
  if (dataFile === null || finding.line === undefined) return <div className="finding-row">{where}</div>;
  const line = finding.line;
  return (
    <button
      type="button"
      className={`finding-row is-link${selected ? ' is-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      aria-label={`${finding.kind}${rule ? ` (${rule})` : ''} at line ${line}${finding.seq !== undefined ? `, seq ${finding.seq}` : ''}: open the record`}
      onClick={(event) => onOpen({ file: dataFile, line, finding }, event.currentTarget)}
    >
      {where}
      <span className="finding-open" aria-hidden="true">
        Open record ›
      </span>
    </button>
  );
}
