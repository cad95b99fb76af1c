import type { ArchiveOverview, OverviewFile } from '../../../../shared/archive-overview';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { VerificationState } from '../../../../shared/verification-run';
import { formatBytes, formatCount, formatTime, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { Badge, FileStatusBadge } from '../../ui/StatusBadge';

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
      <section className="card" aria-labelledby="files-heading">
        <div className="card-header">
          <h2 id="files-heading">Day files</h2>
          <span className="card-meta">
            {o.verifiedAt ? `Integrity from the verification of ${formatTime(o.verifiedAt)}` : 'Record counts and integrity appear after verification'}
          </span>
        </div>
        <FileTable files={o.files} onShowFindings={onShowFindings} />
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
  const summary = verification?.report?.summary;
  return (
    <dl className="stats">
      <div className="stat">
        <dt>Days</dt>
        <dd>{formatCount(files.length)}</dd>
        <span className="stat-sub">{first ? (first === last ? first : `${first} – ${last}`) : 'no day files'}</span>
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
        <dd className={summary ? (summary.ok ? 'is-good' : summary.sealed ? 'is-bad' : 'is-warn') : 'is-neutral'}>
          {summary ? (summary.ok ? 'Verified' : summary.sealed ? 'Not verified' : 'Unsealed') : 'Not yet run'}
        </dd>
        <span className="stat-sub">
          {summary ? `${summary.validFiles} of ${summary.dayFiles} files valid` : 'run verification on the Integrity tab'}
        </span>
      </div>
    </dl>
  );
}

function FileTable({ files, onShowFindings }: { files: OverviewFile[]; onShowFindings: (file: string) => void }) {
  if (files.length === 0) return <p className="empty-note">This folder holds no activations-YYYY-MM-DD.jsonl[.gz] files.</p>;
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
        {files.map((f) => (
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
              <FileStatusBadge status={f.integrity?.status ?? 'not_verified'} />
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
        ))}
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
                — key <span className="mono">{k.keyId}</span> ships with the archive and is <strong>not trusted</strong>. Import it
                under Integrity → Trusted keys only if the publisher gave you the same key id through another channel.
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
