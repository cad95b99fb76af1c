import type { ExportVerificationStatus } from '../../../../shared/export-wizard';
import { FINDING_EXPLANATIONS } from '../../../../shared/findings';
import { integritySentences, type SelectionIntegrity, type SelectionTone } from '../../../../shared/selection-integrity';
import { formatBytes, formatCount, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { FileVerdictBadge } from '../../ui/StatusBadge';

// What the archive's verification report says of the records an export holds, worded once for
// every step of the wizard (scope, review, outcome). Green only where the report verifies every
// record; amber for a key the user has not trusted; red for altered records and files with findings.
// Each day carries the badge Overview and Integrity show for its file.

/** The statement's headline, in the words the Integrity view's verdict uses for the same standing. */
function headline(integrity: SelectionIntegrity, tone: SelectionTone): string {
  if (tone === 'good') return 'Verified';
  if (tone === 'bad') return 'Not verified: findings';
  if (tone === 'neutral') return 'Unknown';
  if (integrity.untrustedKeys.length > 0 && integrity.unknownKeys.length === 0) {
    return `Authentic only if ${integrity.untrustedKeys.length > 1 ? 'these keys are' : 'the key is'} the publisher's`;
  }
  return integrity.sealed ? 'Not verified' : 'Unsealed';
}

function VerifyingLine({ verification }: { verification: ExportVerificationStatus }) {
  if (verification.status === 'verifying') {
    const pct = verification.totalBytes ? Math.min(100, Math.round((100 * (verification.doneBytes ?? 0)) / verification.totalBytes)) : null;
    return (
      <span className="muted" role="status">
        Integrity not known yet: verifying the archive
        {pct !== null && verification.totalBytes ? ` (${pct}% of ${formatBytes(verification.totalBytes)})` : ''}…
      </span>
    );
  }
  return (
    <span className="export-warn">
      Integrity not known: the archive is not verified
      {verification.error ? <> (<InertText text={verification.error} />)</> : null}. The export verifies it first.
    </span>
  );
}

/** One line for the scope choices: the verdict's first sentence, in its colour. */
export function IntegrityLine({ integrity, verification }: { integrity: SelectionIntegrity; verification: ExportVerificationStatus }) {
  if (verification.status !== 'verified') return <VerifyingLine verification={verification} />;
  const words = integritySentences(integrity);
  return (
    <span className={`export-integrity-line export-${words.tone === 'neutral' ? 'muted' : words.tone}`} data-tone={words.tone}>
      {words.tone === 'good' ? '✓ ' : words.tone === 'bad' ? '✗ ' : words.tone === 'warn' ? '! ' : ''}
      {words.lines.join(' ')}
    </span>
  );
}

/** The full statement: verdict, per day trust, the findings of the involved days (first ones) and what they mean. */
export function IntegrityStatement({ integrity, verification, findingsShown = 8 }: { integrity: SelectionIntegrity; verification: ExportVerificationStatus; findingsShown?: number }) {
  if (verification.status !== 'verified') {
    return (
      <div className="export-integrity is-neutral" aria-label="Integrity of the selection">
        <VerifyingLine verification={verification} />
      </div>
    );
  }
  const words = integritySentences(integrity);
  const shown = integrity.findings.slice(0, findingsShown);
  const kinds = [...new Set(shown.map((f) => f.kind))];
  return (
    <div className={`export-integrity is-${words.tone}`} aria-label="Integrity of the selection" data-tone={words.tone}>
      <p className="export-integrity-verdict">
        <strong>{headline(integrity, words.tone)}</strong>
      </p>
      <ul className="export-integrity-lines">
        {words.lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {integrity.days.length > 0 && (
        <p className="export-days">
          {integrity.days.map((d) => (
            <span key={d.file} className="export-day" title={`${d.file}${d.keyId ? `, key ${d.keyId}` : ''}: ${d.findings} finding(s)`} data-verdict={d.verdict ?? 'not_verified'}>
              {d.date} <FileVerdictBadge verdict={d.verdict ?? 'not_verified'} />
              {d.altered > 0 && <span className="export-bad"> · {formatCount(d.altered)} altered</span>}
            </span>
          ))}
        </p>
      )}
      {shown.length > 0 && (
        <details className="export-findings" open={integrity.findingsTotal <= 3}>
          <summary>
            {plural(integrity.findingsTotal, 'finding')} in the exported days{integrity.findingsTotal > shown.length ? ` (first ${shown.length} shown; the PDF report lists all)` : ''}
          </summary>
          <ul>
            {shown.map((f, i) => (
              <li key={i}>
                <span className="mono">{f.kind}</span>{' '}
                <span className="mono muted">
                  <InertText text={`${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.seq !== undefined ? ` (seq ${f.seq})` : ''}`} />
                </span>{' '}
                <InertText text={f.message} />
              </li>
            ))}
          </ul>
          <dl className="export-finding-kinds">
            {kinds.map((k) => (
              <div key={k}>
                <dt className="mono">{k}</dt>
                <dd>{FINDING_EXPLANATIONS[k]}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}
