import { useEffect, useState } from 'react';
import type { ExportSetup } from '../../../../shared/export-wizard';
import { api, asFailure } from '../../api';
import { copyText } from '../../ui/clipboard';
import type { VerificationState } from '../../../../shared/verification-run';
import { formatBytes, formatTime, plural } from '../../ui/format';
import { VerdictBadge } from '../frame/AppHeader';
import { InertText } from '../../ui/InertText';
import './integrity-report.css';

type Saved = { file: string; bytes: number; pages: number };

function defaultReportPath(setup: ExportSetup): string {
  const folder = setup.defaultFolder.endsWith(setup.separator) ? setup.defaultFolder : `${setup.defaultFolder}${setup.separator}`;
  const safe = setup.archiveName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'archive';
  return `${folder}${safe}-integrity-${new Date().toISOString().slice(0, 10)}.pdf`;
}

/**
 * "Save integrity report…": the archive's verification report as a PDF an auditor reads without
 * the tool. The desktop app asks where with its save dialog; the browser host has none, so the
 * path is typed (suggested in the Downloads folder).
 */
export function IntegrityReportCard({ verification }: { verification: VerificationState | undefined }) {
  const running = verification?.status === 'running';
  const hasReport = (verification?.report ?? null) !== null;
  const [setup, setSetup] = useState<ExportSetup | null>(null);
  const [open, setOpen] = useState(false);
  const [out, setOut] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);

  useEffect(() => {
    void api.getExportSetup({}).then((r) => {
      if (!r.ok) return;
      setSetup(r.value);
      setOut((o) => o || defaultReportPath(r.value));
    });
  }, []);

  const save = async (file: string, replace: boolean) => {
    setBusy(true);
    setError(null);
    const result = await api.saveIntegrityReport({ out: file, overwrite: replace }).catch(asFailure);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setSaved(result.value);
    setOpen(false);
  };

  const start = async () => {
    setSaved(null);
    setError(null);
    if (setup?.nativeDialog) {
      const chosen = await api.chooseExportDestination({ format: 'pdf', defaultPath: out || 'integrity-report.pdf', purpose: 'integrity_report' }).catch(asFailure);
      if (!chosen.ok) return setError(chosen.error.message);
      if (chosen.value.path !== null) await save(chosen.value.path, true);
      return;
    }
    setOpen(true);
  };

  return (
    <section className="card integrity-report-card" aria-labelledby="integrity-report-heading">
      <div className="card-header">
        <h2 id="integrity-report-heading">Integrity report</h2>
      </div>
      <div className="integrity-report-body">
        <p className="muted integrity-report-help">
          The verdict, every day file and digest, every finding with what it means, the keys trusted, the tool&apos;s version and the time, as a PDF an auditor
          reads without this tool.
        </p>
        {hasReport && !running && (
          <p className="integrity-report-states">
            It states <VerdictBadge verification={verification} />
            {verification?.reportFinishedAt && <span className="muted"> as verified {formatTime(verification.reportFinishedAt)}</span>}
          </p>
        )}
        <button type="button" className="button" onClick={() => void start()} disabled={busy || running} title={running ? 'Wait for the verification to finish' : undefined}>
          {busy ? 'Saving…' : 'Save integrity report…'}
        </button>
        {!hasReport && !running && <p className="muted integrity-report-help">The archive is verified first.</p>}
        {open && (
          <form
            className="integrity-report-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save(out.trim(), overwrite);
            }}
          >
            <label htmlFor="integrity-report-path">
              Save the report to
            </label>
            <input id="integrity-report-path" className="integrity-report-path mono" type="text" spellCheck={false} autoComplete="off" value={out} onChange={(e) => setOut(e.target.value)} />
            <label className="integrity-report-replace">
              <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Replace an existing file
            </label>
            <div className="integrity-report-actions">
              <button type="submit" className="button button-primary" disabled={busy || out.trim() === ''}>
                {busy ? 'Saving…' : 'Save'}
              </button>
              <button type="button" className="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          </form>
        )}
        {error && (
          <p className="error-text" role="alert">
            <InertText text={error} />
          </p>
        )}
        {saved && (
          <p className="integrity-report-saved" role="status">
            Saved <span className="mono">{<InertText text={saved.file} />}</span> ({plural(saved.pages, 'page')}, {formatBytes(saved.bytes)}){' '}
            <button type="button" className="link-button" onClick={() => void copyText(saved.file)}>
              Copy path
            </button>
          </p>
        )}
      </div>
    </section>
  );
}
