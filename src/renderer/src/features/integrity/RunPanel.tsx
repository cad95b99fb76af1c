import type { VerificationReport } from '../../../../shared/verification-report';
import type { VerificationProgress, VerificationState } from '../../../../shared/verification-run';
import { formatBytes, formatCount, formatEta, formatSeconds, formatTime, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { STATE_LOOK } from '../../ui/integrity-words';
import { ProgressBar } from '../../ui/ProgressBar';
import { TrustUntrustedKeys } from '../keys/TrustShippedKey';

/** The archive's verification: progress with Cancel while it runs, else the verdict, and "verify again". */
export function RunPanel({
  verification,
  progress,
  actionError,
  onStart,
  onCancel,
}: {
  verification: VerificationState | undefined;
  progress: VerificationProgress | null;
  actionError: string | null;
  onStart: () => void;
  onCancel: () => void;
}) {
  const running = verification?.status === 'running';
  const hasReport = verification?.report != null;
  return (
    <section className="card run-card" aria-label="Verification">
      <div className="run-row">
        <div className="run-text">
          <h2 className="run-title">Verification</h2>
          <p className="run-help">
            Checks every record seal, the hash chain across days and each signed daily digest, trusting only the keys you
            imported. Opening an archive verifies it.{hasReport && ' "Verify again" reads every day file anew.'}
          </p>
        </div>
        <div className="run-actions">
          {running ? (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          ) : (
            <button type="button" className="button button-primary" onClick={onStart} disabled={verification === undefined}>
              {hasReport ? 'Verify again' : 'Run verification'}
            </button>
          )}
        </div>
      </div>
      <div className="run-status">
        {running && <ProgressLine progress={progress} />}
        {(!running || hasReport) && <Verdict verification={verification} />}
      </div>
      {actionError && (
        <p className="error-text" role="alert">
          <InertText text={actionError} />
        </p>
      )}
    </section>
  );
}

const PHASE_TEXT = {
  index: 'Verifying the day files that are new or changed since the last time',
  reread: 'Reading and verifying every day file',
  keys: 'Checking the digests under the keys you trust now',
  settings: 'Checking the archive against its expected period and recorded history',
} as const;

function ProgressLine({ progress }: { progress: VerificationProgress | null }) {
  const done = progress?.doneBytes ?? 0;
  const total = progress?.totalBytes ?? 0;
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  const eta = progress ? formatEta(done, total, progress.elapsedMs) : '';
  return (
    <div className="progress">
      <ProgressBar percent={pct} label="Verification progress" />
      <p className="progress-text" aria-live="polite">
        {progress ? (
          <>
            {PHASE_TEXT[progress.phase]}: <span className="num">{formatBytes(done)}</span> of <span className="num">{formatBytes(total)}</span> ·{' '}
            {progress.filesDone} of {plural(progress.filesTotal, 'file')} {eta && <>· {eta}</>}
          </>
        ) : (
          'Starting…'
        )}
      </p>
    </div>
  );
}

/** Where the report's per-file results came from, in a few words. */
function sourceText(v: VerificationState): string {
  const s = v.reportSource;
  if (!s) return '';
  if (s.phase === 'reread') return `Every day file read (${formatCount(s.filesRead)}).`;
  if (s.filesFromCache === 0) return `Every day file read (${formatCount(s.filesRead)}) while opening the archive.`;
  return `${plural(s.filesRead, 'day file')} read; ${formatCount(s.filesFromCache)} unchanged since they were verified (results from the cache: size, time and contents' ends unchanged). "Verify again" reads them all.`;
}

function Verdict({ verification }: { verification: VerificationState | undefined }) {
  if (!verification) return <p className="verdict verdict-neutral">Loading…</p>;
  const report = verification.report;
  const lastRunNote =
    verification.status === 'cancelled'
      ? 'The last run was cancelled.'
      : verification.status === 'failed'
        ? `The last run failed: ${verification.error ?? 'unknown error'}`
        : null;
  if (!report) {
    return (
      <p className={`verdict ${lastRunNote ? 'verdict-warn' : 'verdict-neutral'}`} role="status">
        {lastRunNote ?? 'Not verified yet.'}
      </p>
    );
  }
  const s = report.summary;
  const look = STATE_LOOK[s.verdict];
  const kinds = Object.entries(s.findingsByKind)
    .filter(([k]) => k !== 'untrusted_key' || s.verdict !== 'untrusted_key')
    .map(([k, n]) => `${k} ${formatCount(n ?? 0)}`)
    .join(', ');
  return (
    <div className={`verdict verdict-${look.tone}`} role="status" data-verdict={s.verdict}>
      <p className="verdict-line">
        <strong className="verdict-headline">{headline(report)}</strong>
        <span className="summary-line">
          {s.validFiles} of {plural(s.dayFiles, 'day file')} valid
          {s.untrustedKeyFiles > 0 && <> · {formatCount(s.untrustedKeyFiles)} intact, key not trusted</>} · {s.validDigests} of{' '}
          {plural(s.digests, 'digest')} valid
          {untrustedDigests(report) > 0 && <> ({formatCount(untrustedDigests(report))} signed by a key not trusted)</>} · {plural(s.records, 'record')} ·{' '}
          {s.findings === 0 ? 'no findings' : plural(s.findings, 'finding')} · {formatBytes(s.bytes)} checked in {formatSeconds(s.seconds)}
        </span>
      </p>
      {s.verdict === 'untrusted_key' && <UntrustedExplanation report={report} />}
      {s.verdict === 'invalid' && s.untrustedKeyFiles > 0 && (
        <p className="verdict-detail">
          {plural(s.untrustedKeyFiles, 'day file')} {s.untrustedKeyFiles === 1 ? 'is' : 'are'} intact but signed by a key you have not
          trusted; the others have findings.
        </p>
      )}
      {kinds && <p className={`verdict-kinds mono${s.verdict === 'invalid' ? '' : ' is-quiet'}`}>{kinds}</p>}
      {report.keys.some((k) => !k.trusted) && (
        <div className="verdict-keys">
          <TrustUntrustedKeys report={report} />
        </div>
      )}
      <p className="verdict-meta">
        {verification.reportFinishedAt && `Finished ${formatTime(verification.reportFinishedAt)}. `}
        {sourceText(verification)} {lastRunNote}
        {verification.keysChangedSinceReport && ' Trusted keys changed: the verdict is being worked out again.'}
      </p>
    </div>
  );
}

/** Digests whose only finding is their untrusted key. */
function untrustedDigests(report: VerificationReport): number {
  return report.digests.filter((d) => d.verdict === 'untrusted_key').length;
}

/** The headline of a report: what it amounts to, in words that never say more than was checked. */
export function headline(report: VerificationReport): string {
  const s = report.summary;
  switch (s.verdict) {
    case 'verified':
      return 'Verified';
    case 'untrusted_key':
      return `Authentic only if ${report.keys.filter((k) => !k.trusted).length > 1 ? 'these keys are' : 'the key is'} the publisher's`;
    case 'invalid':
      return 'Not verified: findings';
    case 'unsealed':
      return 'Unsealed: nothing to verify';
  }
}

function UntrustedExplanation({ report }: { report: VerificationReport }) {
  const keys = report.keys.filter((k) => !k.trusted);
  return (
    <p className="verdict-detail">
      Every record, chain link and digest value checks out, but the digests are signed by{' '}
      {keys.map((k, i) => (
        <span key={k.keyId}>
          {i > 0 && ', '}key <code className="mono">{k.keyId}</code>
        </span>
      ))}
      , which you have not trusted. Nothing here proves who signed them: that is not tampering, but it is not verified either.
    </p>
  );
}
