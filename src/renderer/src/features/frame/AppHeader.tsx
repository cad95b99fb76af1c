import type { ArchiveInfo, IpcResult } from '../../../../shared/ipc-contract';
import type { VerificationState } from '../../../../shared/verification-run';
import { InertText } from '../../ui/InertText';
import { plural } from '../../ui/format';
import { STATE_LOOK } from '../../ui/integrity-words';
import { Badge } from '../../ui/StatusBadge';
import { OpenArchiveButton } from '../open-archive/OpenArchiveButton';
import '../completeness/completeness.css';

export const APP_TITLE = 'ActivationLog Inspector';

export function AppHeader({ archive, verification }: { archive: IpcResult<ArchiveInfo> | undefined; verification: VerificationState | undefined }) {
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 20 20" aria-hidden="true">
          <path d="M10 1.5 3 4.2v5.2c0 4.3 2.9 7.9 7 9.1 4.1-1.2 7-4.8 7-9.1V4.2z" />
          <path className="brand-tick" d="m6.6 10.2 2.4 2.4 4.5-4.8" />
        </svg>
        <span className="app-title">{APP_TITLE}</span>
      </div>
      <ArchiveSummary archive={archive} />
      <OpenArchiveButton currentPath={archive?.ok ? archive.value.path : null} />
      <HistoryBadge verification={verification} />
      <div className="header-status">
        <VerdictBadge verification={verification} />
      </div>
    </header>
  );
}

function ArchiveSummary({ archive }: { archive: IpcResult<ArchiveInfo> | undefined }) {
  if (archive === undefined) return <p className="archive archive-pending">Opening archive…</p>;
  if (!archive.ok) {
    return (
      <p className="archive archive-error" role="alert">
        Could not open the archive: <InertText text={archive.error.message} />
      </p>
    );
  }
  return (
    <p className="archive">
      <span className="archive-name">
        <InertText text={archive.value.name} />
      </span>
      <span className="archive-path" title={archive.value.path}>
        <InertText text={archive.value.path} />
      </span>
    </p>
  );
}

/** The archive is not the history recorded when it was last verified here: said as loudly as the verdict. */
function HistoryBadge({ verification }: { verification: VerificationState | undefined }) {
  const check = verification?.report?.completeness.checkpoint;
  if (!check || check.status === 'same_history') return null;
  return (
    <div className="header-history" role="status">
      <Badge tone="bad" title={`The archive is not the history verified here on ${check.checkpoint.verified_at} (through ${check.checkpoint.date}): see Integrity.`}>
        {check.status === 'mismatch' ? 'History changed' : 'History broken after checkpoint'}
      </Badge>
    </div>
  );
}

/** The archive's one verification state in a word (the Integrity tab has the detail; the integrity report card shows it too). */
export function VerdictBadge({ verification }: { verification: VerificationState | undefined }) {
  if (!verification) return null;
  if (verification.status === 'running') return <Badge tone="info" title={STATE_LOOK.verifying.title}>Verifying…</Badge>;
  const look = STATE_LOOK[verification.verdict];
  const findings = verification.report?.summary.findings ?? 0;
  const failed = verification.report === null && (verification.status === 'cancelled' || verification.status === 'failed');
  return (
    <Badge tone={look.tone} title={look.title}>
      {failed ? `Not verified (${verification.status})` : verification.verdict === 'invalid' ? `${look.word} · ${plural(findings, 'finding')}` : look.word}
    </Badge>
  );
}
