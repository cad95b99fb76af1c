import type { VerificationProgress, VerificationState } from '../../../../shared/verification-run';
import { formatBytes, formatCount, formatEta, formatSeconds, formatTime, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { ProgressBar } from '../../ui/ProgressBar';

/** Run and cancel, the progress of a running verification, and the verdict of the last one. */
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
  return (
    <section className="card run-card" aria-label="Verification">
      <div className="run-row">
        <div className="run-text">
          <h2 className="run-title">Verification</h2>
          <p className="run-help">
            Checks every record seal, the hash chain across days and each signed daily digest, trusting only the keys you
            imported.
          </p>
        </div>
        <div className="run-actions">
          {running ? (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          ) : (
            <button type="button" className="button button-primary" onClick={onStart} disabled={verification === undefined}>
              {verification?.report ? 'Run verification again' : 'Run verification'}
            </button>
          )}
        </div>
      </div>
      <div className="run-status">
        {running ? <ProgressLine progress={progress} /> : <Verdict verification={verification} />}
      </div>
      {actionError && (
        <p className="error-text" role="alert">
          <InertText text={actionError} />
        </p>
      )}
    </section>
  );
}

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
            <span className="num">{formatBytes(done)}</span> of <span className="num">{formatBytes(total)}</span> ·{' '}
            {progress.filesDone} of {plural(progress.filesTotal, 'file')} {eta && <>· {eta}</>}
          </>
        ) : (
          'Starting…'
        )}
      </p>
    </div>
  );
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
        {lastRunNote ?? 'Not yet verified.'}
      </p>
    );
  }
  const s = report.summary;
  const tone = s.ok ? 'good' : s.sealed ? 'bad' : 'warn';
  const headline = s.ok ? 'Verified' : s.sealed ? 'Not verified' : 'Unsealed: nothing to verify';
  const kinds = Object.entries(s.findingsByKind)
    .map(([k, n]) => `${k} ${formatCount(n ?? 0)}`)
    .join(', ');
  return (
    <div className={`verdict verdict-${tone}`} role="status">
      <p className="verdict-line">
        <strong className="verdict-headline">{headline}</strong>
        <span className="summary-line">
          {s.validFiles} of {plural(s.dayFiles, 'day file')} valid · {s.validDigests} of {plural(s.digests, 'digest')} valid ·{' '}
          {plural(s.records, 'record')} · {s.findings === 0 ? 'no findings' : plural(s.findings, 'finding')} ·{' '}
          {formatBytes(s.bytes)} checked in {formatSeconds(s.seconds)}
        </span>
      </p>
      {kinds && <p className="verdict-kinds mono">{kinds}</p>}
      <p className="verdict-meta">
        {verification.reportFinishedAt && `Finished ${formatTime(verification.reportFinishedAt)}.`} {lastRunNote}
        {verification.keysChangedSinceReport && ' Trusted keys changed since this run: run it again to apply them.'}
      </p>
    </div>
  );
}
