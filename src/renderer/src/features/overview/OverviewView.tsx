import type { ArchiveOverview, OverviewFile } from '../../../../shared/archive-overview';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { VerificationState } from '../../../../shared/verification-run';
import { formatBytes, formatCount, formatTime, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { STATE_LOOK } from '../../ui/integrity-words';
import { Badge, FileVerdictBadge } from '../../ui/StatusBadge';
import { headline } from '../integrity/RunPanel';
import { TrustUntrustedKeys } from '../keys/TrustShippedKey';
import { historyLine } from '../completeness/history-words';
import type { VerificationReport } from '../../../../shared/verification-report';

export function OverviewView({
  overview,
  verification,
  onShowFindings,
}: {
  overview: IpcResult<ArchiveOverview> | undefined;
  verification: VerificationState | undefined;
  onShowFindings: (file: string) => void;
}) {
  if (overview === undefined) return <p className="loading">Reading the archive…</p>;
  if (!overview.ok) {
    return (
      <p className="error-text" role="alert">
        Could not read the archive: <InertText text={overview.error.message} />
      </p>
    );
  }
  const o = overview.value;
  return (
    <div className="overview scroll-area">
      <OverviewStats overview={o} verification={verification} />
      <VerdictCallout verification={verification} onShowFindings={onShowFindings} />
      <HistoryNote report={verification?.report} />
      <section className="card" aria-labelledby="files-heading">
        <div className="card-header">
          <h2 id="files-heading">Day files</h2>
          <span className="card-meta">
            {o.verifiedAt ? `Integrity from the verification of ${formatTime(o.verifiedAt)}` : 'Record counts and integrity appear after verification'}
          </span>
        </div>
        <FileTable files={o.files} missingDays={verification?.report?.completeness.missingDays ?? []} onShowFindings={onShowFindings} />
      </section>
      <ArchiveNotes overview={o} />
    </div>
  );
}

function OverviewStats({ overview, verification }: { overview: ArchiveOverview; verification: VerificationState | undefined }) {
  const files = overview.files;
  const first = files[0]?.date;
  const last = files[files.length - 1]?.date;
  const verified = files.every((f) => f.integrity !== null) && files.length > 0;
  const records = verified ? files.reduce((n, f) => n + (f.integrity?.records ?? 0), 0) : undefined;
  const compressed = files.filter((f) => f.compressed).length;
  const completeness = verification?.report?.completeness;
  const missingDays = completeness ? completeness.missingDays.length + completeness.unlistedMissingDays : 0;
  const state = verification ? (verification.status === 'running' ? 'verifying' : verification.verdict) : 'not_verified';
  const look = STATE_LOOK[state];
  return (
    <dl className="stats">
      <div className="stat">
        <dt>Days</dt>
        <dd>{formatCount(files.length)}</dd>
        <span className="stat-sub">
          {missingDays > 0 ? (
            <span className="error-text">{plural(missingDays, 'day')} missing</span>
          ) : first ? (
            first === last ? first : `${first} – ${last}`
          ) : (
            'no day files'
          )}
        </span>
      </div>
      <div className="stat">
        <dt>Records</dt>
        <dd>{records === undefined ? '—' : formatCount(records)}</dd>
        <span className="stat-sub">{records === undefined ? 'counted by verification' : 'in all day files'}</span>
      </div>
      <div className="stat">
        <dt>On disk</dt>
        <dd>{formatBytes(overview.bytes)}</dd>
        <span className="stat-sub">{compressed > 0 ? `${compressed} of ${files.length} files gzip-compressed` : 'no compressed files'}</span>
      </div>
      <div className="stat">
        <dt>Seal</dt>
        <dd>{overview.hasDigests ? 'Signed' : 'None'}</dd>
        <span className="stat-sub">
          {overview.hasDigests ? plural(files.filter((f) => f.digest !== null).length, 'daily digest') : 'no signed digests in digests/'}
        </span>
      </div>
      <div className="stat">
        <dt>Integrity</dt>
        <dd className={`is-${look.tone === 'info' ? 'neutral' : look.tone}`} data-verdict={state}>
          {look.word}
        </dd>
        <span className="stat-sub">{integritySub(verification)}</span>
      </div>
    </dl>
  );
}

/** The figures under the Integrity stat. */
function integritySub(v: VerificationState | undefined): string {
  const s = v?.report?.summary;
  if (!v || !s) return v?.status === 'running' ? 'verifying the archive…' : 'not verified yet';
  switch (s.verdict) {
    case 'verified':
      return `${s.validFiles} of ${plural(s.dayFiles, 'file')} valid`;
    case 'untrusted_key':
      return `${s.untrustedKeyFiles} of ${plural(s.dayFiles, 'file')} intact, key not trusted`;
    case 'invalid': {
      const bad = s.dayFiles - s.validFiles - s.untrustedKeyFiles;
      if (bad > 0) return `${bad} of ${plural(s.dayFiles, 'file')} with findings`;
      const c = v.report!.completeness;
      return c.checkpoint?.status === 'mismatch' ? 'history changed' : c.missingDays.length + c.unlistedMissingDays > 0 ? 'days missing' : 'completeness findings';
    }
    case 'unsealed':
      return 'no seal to check';
  }
}

/** What the verdict means and what to do about it, when it is anything but "verified". */
function VerdictCallout({ verification, onShowFindings }: { verification: VerificationState | undefined; onShowFindings: (file: string) => void }) {
  const report = verification?.report;
  if (!report || report.summary.verdict === 'verified') return null;
  const s = report.summary;
  const look = STATE_LOOK[s.verdict];
  const firstBad = report.files.find((f) => f.verdict === 'invalid' || f.verdict === 'unreadable');
  const badFiles = s.dayFiles - s.validFiles - s.untrustedKeyFiles;
  const c = report.completeness;
  const missing = c.missingDays.length + c.unlistedMissingDays;
  const firstMissing = c.findings[0]?.file;
  return (
    <section className={`card verdict-callout is-${look.tone}`} aria-label="Integrity verdict" data-verdict={s.verdict}>
      <p className="verdict-callout-title">
        <strong>{headline(report)}</strong>
      </p>
      {s.verdict === 'untrusted_key' && (
        <>
          <p>
            Every record, chain link and digest value checks out, but the digests are signed by{' '}
            {report.keys
              .filter((k) => !k.trusted)
              .map((k) => `key ${k.keyId}`)
              .join(', ')}
            , which you have not trusted: nothing proves who signed them. The records show in amber until you trust the key.
          </p>
          <TrustUntrustedKeys report={report} />
        </>
      )}
      {s.verdict === 'invalid' && badFiles === 0 && (
        <p>
          Every day file present checks out, but {completenessProblems(report).join(', and ')}.{' '}
          {firstMissing && (
            <button type="button" className="link-button" onClick={() => onShowFindings(firstMissing)}>
              Show the findings
            </button>
          )}
        </p>
      )}
      {s.verdict === 'invalid' && badFiles > 0 && (
        <>
          <p>
            {plural(s.findings, 'finding')} in {plural(badFiles, 'day file')}: the records of {badFiles === 1 ? 'that day' : 'those days'} cannot be
            trusted.{missing > 0 && ` ${plural(missing, 'day')} ${missing === 1 ? 'is' : 'are'} missing altogether.`}
            {s.untrustedKeyFiles > 0 && ` ${plural(s.untrustedKeyFiles, 'other day file')} ${s.untrustedKeyFiles === 1 ? 'is' : 'are'} intact but signed by a key you have not trusted.`}{' '}
            {firstBad && (
              <button type="button" className="link-button" onClick={() => onShowFindings(firstBad.file)}>
                Show the findings
              </button>
            )}
          </p>
          <TrustUntrustedKeys report={report} />
        </>
      )}
      {s.verdict === 'unsealed' && <p>The archive carries no integrity seal: its records can be read and searched, but nothing in it can be verified.</p>}
    </section>
  );
}

/** What the completeness checks found, in phrases ("2 days have neither a day file nor a digest (…)"). */
function completenessProblems(report: VerificationReport): string[] {
  const c = report.completeness;
  const missing = c.missingDays.length + c.unlistedMissingDays;
  const out: string[] = [];
  if (missing > 0) {
    const days = `${c.missingDays.slice(0, 5).join(', ')}${missing > 5 ? ', …' : ''}`;
    out.push(`${plural(missing, 'day')} ${missing === 1 ? 'has' : 'have'} neither a day file nor a digest (${days})`);
  }
  if (c.checkpoint?.status === 'mismatch') out.push('the archive is not the history verified here before');
  if (c.checkpoint?.status === 'chain_broken') out.push('the days after the history verified here before do not follow on from it');
  if (out.length === 0) out.push('the completeness checks have findings');
  return out;
}

/** The archive checked against the history recorded here before (the Integrity tab has the detail). */
function HistoryNote({ report }: { report: VerificationReport | null | undefined }) {
  const line = historyLine(report, undefined);
  if (!line) return null;
  return (
    <section className={`card history-note is-${line.tone}`} aria-label="History" data-testid="overview-history">
      <p>{line.tone === 'bad' ? <strong>{line.text}</strong> : line.text}</p>
      {line.detail && (
        <p className="history-detail">
          <InertText text={line.detail} />
        </p>
      )}
    </section>
  );
}

type FileRow = { missing: false; file: OverviewFile } | { missing: true; date: string };

function FileTable({ files, missingDays, onShowFindings }: { files: OverviewFile[]; missingDays: readonly string[]; onShowFindings: (file: string) => void }) {
  if (files.length === 0) return <p className="empty-note">This folder holds no activations-YYYY-MM-DD.jsonl[.gz] files.</p>;
  // A day missing from the calendar has a row too, where it should be: the hole shows.
  const rows: FileRow[] = [...files.map((file): FileRow => ({ missing: false, file })), ...missingDays.map((date): FileRow => ({ missing: true, date }))].sort((a, b) => {
    const da = a.missing ? a.date : a.file.date;
    const db = b.missing ? b.date : b.file.date;
    return da < db ? -1 : da > db ? 1 : 0;
  });
  return (
    <table className="data-table file-table">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">File</th>
          <th scope="col">Format</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="num">
            Records
          </th>
          <th scope="col">Digest</th>
          <th scope="col">Integrity</th>
          <th scope="col" className="num">
            Findings
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          if (row.missing) {
            return (
              <tr key={`missing-${row.date}`} className="is-missing">
                <td className="mono">{row.date}</td>
                <td className="muted" colSpan={5}>
                  no day file and no digest for this day
                </td>
                <td>
                  <Badge tone="bad">missing day</Badge>
                </td>
                <td className="num">
                  <button type="button" className="link-button" onClick={() => onShowFindings(`activations-${row.date}.jsonl`)}>
                    1 finding
                  </button>
                </td>
              </tr>
            );
          }
          const f = row.file;
          return (
          <tr key={f.file}>
            <td className="mono">{f.date}</td>
            <td className="mono file-name">
              <InertText text={f.file} />
            </td>
            <td>{f.compressed ? <Badge tone="info">gzip</Badge> : <Badge tone="neutral">plain</Badge>}</td>
            <td className="num">{formatBytes(f.bytes)}</td>
            <td className="num">{f.integrity ? formatCount(f.integrity.records) : '—'}</td>
            <td>{f.digest ? <span className="muted">signed digest</span> : <span className="muted">none</span>}</td>
            <td>
              <FileVerdictBadge verdict={f.integrity?.verdict ?? 'not_verified'} />
            </td>
            <td className="num">
              {f.integrity === null ? (
                '—'
              ) : f.integrity.findings === 0 ? (
                <span className="muted">0</span>
              ) : (
                <button type="button" className="link-button" onClick={() => onShowFindings(f.file)}>
                  {plural(f.integrity.findings, 'finding')}
                </button>
              )}
            </td>
          </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ArchiveNotes({ overview }: { overview: ArchiveOverview }) {
  if (overview.shippedKeys.length === 0 && overview.notices.length === 0) return null;
  return (
    <section className="card" aria-labelledby="notes-heading">
      <div className="card-header">
        <h2 id="notes-heading">Keys and notes</h2>
      </div>
      <ul className="note-list">
        {overview.shippedKeys.map((k) => (
          <li key={k.file}>
            <span className="mono">
              <InertText text={k.file} />
            </span>{' '}
            {k.error ? (
              <span className="error-text">
                cannot be read: <InertText text={k.error} />
              </span>
            ) : k.trusted ? (
              <>
                — key <span className="mono">{k.keyId}</span> <Badge tone="good">trusted</Badge>
              </>
            ) : (
              <>
                — key <span className="mono">{k.keyId}</span> ships with the archive and is <strong>not trusted</strong>. Trust it only
                if the publisher gave you the same key id through another channel.
              </>
            )}
          </li>
        ))}
        {overview.notices.map((n, i) => (
          <li key={`notice-${i}`}>
            <InertText text={n} />
          </li>
        ))}
      </ul>
    </section>
  );
}
