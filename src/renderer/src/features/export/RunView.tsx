import { useState } from 'react';
import type { ExportOutcome, ExportRunProgress, ExportSetup, ManifestCheck } from '../../../../shared/export-wizard';
import type { IpcResult } from '../../../../shared/ipc-contract';
import { api } from '../../api';
import { copyText } from '../../ui/clipboard';
import { formatBytes, formatCount, formatEta, formatSeconds, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { Badge } from '../../ui/StatusBadge';
import { phaseRate } from './export-draft';
import { RuleCounts } from './RuleCounts';
import { IntegrityStatement } from './IntegrityStatement';
import type { ExportRun } from './useExportRun';
import { ProgressBar } from '../../ui/ProgressBar';

const PHASES: { id: ExportRunProgress['phase']; label: string }[] = [
  { id: 'selecting', label: 'Selecting records' },
  { id: 'verifying', label: 'Verifying the archive (its integrity goes into the report)' },
  { id: 'collecting', label: 'Collecting names to find in text' },
  { id: 'writing', label: 'Redacting and writing records' },
  { id: 'finishing', label: 'Finishing the file and its manifest' },
];

function Progress({ progress, out }: { progress: ExportRunProgress | null; out: string | null }) {
  const phase = progress?.phase ?? 'selecting';
  const at = PHASES.findIndex((p) => p.id === phase);
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  const counted = phase === 'collecting' || phase === 'writing';
  const bytes = phase === 'verifying';
  const pct = phase === 'finishing' ? 100 : (counted || bytes) && total > 0 ? Math.min(100, (100 * done) / total) : 0;
  const rate = progress ? phaseRate(done, progress.phaseElapsedMs) : 0;
  const eta = progress && counted ? formatEta(done, total, progress.phaseElapsedMs) : '';
  return (
    <div className="export-run">
      {out && (
        <p className="export-run-file">
          Writing <span className="mono">{<InertText text={out} />}</span>
        </p>
      )}
      <ol className="export-phases" aria-label="Phases">
        {PHASES.map((p, i) => (
          <li key={p.id} className={i < at ? 'is-done' : i === at ? 'is-current' : undefined} aria-current={i === at ? 'step' : undefined}>
            <span className="export-phase-mark" aria-hidden="true">
              {i < at ? '✓' : i === at ? '●' : '○'}
            </span>
            {p.label}
          </li>
        ))}
      </ol>
      <div className="progress">
        <ProgressBar percent={pct} label="Export progress" valueText={`${PHASES[at]!.label}: ${Math.round(pct)}%`} />
        <p className="progress-text" aria-live="polite">
          {!progress ? (
            'Starting…'
          ) : bytes ? (
            <>
              Verifying: <span className="num">{formatBytes(done)}</span> of <span className="num">{formatBytes(total)}</span> · {formatSeconds(progress.elapsedMs / 1000)} so far
            </>
          ) : counted ? (
            <>
              <span className="num">{formatCount(done)}</span> of <span className="num">{plural(total, 'record')}</span>
              {rate > 0 && <> · {formatCount(Math.round(rate))} records/s</>}
              {eta && <> · {eta}</>} · {formatSeconds(progress.elapsedMs / 1000)} so far
            </>
          ) : (
            <>
              {PHASES[at]!.label}… · {formatSeconds(progress.elapsedMs / 1000)} so far
            </>
          )}
        </p>
      </div>
      <p className="muted export-small export-run-note">Cancelling removes everything written so far. Closing this window lets the export go on; open it again to see how far it got.</p>
    </div>
  );
}

function CheckList({ check }: { check: ManifestCheck }) {
  const row = (ok: boolean, label: string, message: string) => (
    <li className={ok ? 'is-ok' : 'is-bad'}>
      <span className="export-check-mark" aria-label={ok ? 'passed' : 'failed'}>
        {ok ? '✓' : '✗'}
      </span>
      <span className="export-check-label">{label}</span>
      <span>
        <InertText text={message} />
      </span>
    </li>
  );
  const digestsOk = check.digests.every((d) => d.status === 'trusted');
  return (
    <ul className="export-checks" aria-label="Manifest checks">
      {row(check.fileCheck.ok, 'File', check.fileCheck.message)}
      {row(check.exporter.status === 'trusted', 'Signed', check.exporter.message)}
      {row(
        digestsOk,
        'Digests',
        digestsOk ? `${plural(check.digests.length, 'signed digest')}, each under a trusted key` : check.digests.filter((d) => d.status !== 'trusted').map((d) => `${d.date}: ${d.message}`).join('; '),
      )}
      {row(check.chain.ok, 'Chain', check.chain.message)}
      {row(check.proofs.invalid === 0 && check.proofs.valid === check.proofs.total, 'Proofs', `${formatCount(check.proofs.valid)} of ${plural(check.proofs.total, 'inclusion proof')} lead to the signed Merkle root`)}
      {row(check.rows.ok, 'Rows', check.rows.message)}
    </ul>
  );
}

function Outcome({ outcome, check }: { outcome: ExportOutcome; check: IpcResult<ManifestCheck> | undefined }) {
  const pseudonyms = Object.entries(outcome.pseudonyms);
  return (
    <div className="export-outcome">
      <div className="export-verdict" role="status">
        {!check ? (
          <Badge tone="info">Checking the manifest…</Badge>
        ) : !check.ok ? (
          <Badge tone="bad">Could not check the manifest</Badge>
        ) : check.value.ok ? (
          <Badge tone="good">Manifest verified</Badge>
        ) : (
          <Badge tone="bad">Manifest does not verify</Badge>
        )}
        <span className="export-verdict-text">
          {!check
            ? 'Reading the file back and checking every proof against the signed digests…'
            : !check.ok
              ? check.error.message
              : check.value.ok
                ? outcome.verified
                  ? 'The file matches its manifest, and every record is proven against a digest signed by a trusted key.'
                  : 'The file matches its manifest; what the archive proves of its records is stated below.'
                : check.value.problems.slice(0, 3).join(' · ')}
        </span>
      </div>
      <div className="export-outcome-grid">
        <dl className="export-summary">
          <dt>File</dt>
          <dd className="mono export-path-text">
            <InertText text={outcome.file} />
          </dd>
          <dt>Manifest</dt>
          <dd className="mono export-path-text">
            <InertText text={outcome.manifest} />
          </dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(outcome.bytes)} · {plural(outcome.records.exported, 'record')} in {formatSeconds(outcome.seconds)}
          </dd>
          <dt>SHA-256</dt>
          <dd className="mono export-hash">{outcome.sha256}</dd>
          <dt>Proofs</dt>
          <dd>
            {formatCount(outcome.records.proven)} of {plural(outcome.records.exported, 'record')} with an inclusion proof in the manifest
            {outcome.records.contentMismatch > 0 && <span className="export-bad"> · {formatCount(outcome.records.contentMismatch)} altered</span>}
            {outcome.records.unprovable > 0 && <span className="export-warn"> · {formatCount(outcome.records.unprovable)} not provable</span>}
          </dd>
          <dt>Integrity</dt>
          <dd>
            <IntegrityStatement integrity={outcome.integrity} verification={{ status: 'verified', doneBytes: null, totalBytes: null, error: null }} findingsShown={5} />
          </dd>
          {outcome.exporter && (
            <>
              <dt>Signed by</dt>
              <dd>
                <InertText text={outcome.exporter.operator} /> · exporter key <span className="mono">{outcome.exporter.keyId}</span>
              </dd>
            </>
          )}
          <dt>Profile</dt>
          <dd>
            <InertText text={outcome.profile.name} /> <span className="mono export-hash-short" title={`SHA-256 of the profile: ${outcome.profile.sha256}`}>{outcome.profile.sha256.slice(0, 16)}…</span>
          </dd>
          {pseudonyms.length > 0 && (
            <>
              <dt>Pseudonyms</dt>
              <dd>{pseudonyms.map(([label, n]) => `${label} ${formatCount(n)}`).join(', ')}</dd>
            </>
          )}
          {check?.ok && (
            <>
              <dt>Checked</dt>
              <dd>
                <CheckList check={check.value} />
              </dd>
            </>
          )}
        </dl>
        <RuleCounts rules={outcome.rules} caption={`Values changed: ${formatCount(outcome.valuesChanged)}`} />
      </div>
      {outcome.notices.length > 0 && (
        <ul className="export-notices" aria-label="Notices">
          {outcome.notices.map((n, i) => (
            <li key={i}>
              <InertText text={n} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The running export, then its outcome: the manifest and its check, or why it stopped. */
export function RunView({ run }: { run: ExportRun }) {
  const state = run.state;
  if (!state || state.status === 'running' || state.status === 'idle') return <Progress progress={run.progress} out={state?.out ?? null} />;
  if (state.status === 'done' && state.outcome) return <Outcome outcome={state.outcome} check={run.check} />;
  if (state.status === 'cancelled') {
    return (
      <p className="export-stopped" role="status">
        The export was cancelled; nothing was written.
      </p>
    );
  }
  return (
    <p className="export-stopped export-bad" role="alert">
      The export failed: <InertText text={state.error ?? 'unknown error'} />
    </p>
  );
}

/** The run's buttons: cancel while it runs; then show the file, export again, close. */
export function RunFooter({ run, setup, onBack, onClose }: { run: ExportRun; setup: ExportSetup | undefined; onBack: () => void; onClose: () => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const state = run.state;
  if (!state || state.status === 'running' || state.status === 'idle') {
    return (
      <>
        <span className="export-footer-message" />
        <button type="button" className="button" onClick={() => void run.cancel()}>
          Cancel export
        </button>
      </>
    );
  }
  const outcome = state.status === 'done' ? state.outcome : null;
  const runId = state.runId;
  const showInFolder = async () => {
    if (!runId) return;
    const result = await api.showExportInFolder({ runId });
    setMessage(!result.ok ? result.error.message : result.value.shown ? null : 'This window cannot open a file manager.');
  };
  const copyPath = async () => {
    if (outcome) setMessage((await copyText(outcome.file)) ? 'The path is on the clipboard.' : 'Could not reach the clipboard.');
  };
  return (
    <>
      {outcome &&
        (setup?.canShowInFolder ? (
          <button type="button" className="button button-primary" onClick={() => void showInFolder()}>
            Show in folder
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={() => void copyPath()}>
            Copy file path
          </button>
        ))}
      <span className="export-footer-message export-footer-note" role="status">
        {message && <InertText text={message} />}
      </span>
      <button type="button" className="button" onClick={onBack}>
        {outcome ? 'Export again…' : 'Back to the review'}
      </button>
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
    </>
  );
}
