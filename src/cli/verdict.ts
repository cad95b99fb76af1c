// How the CLI words the archive's verdict, the same for `verify`, `index`, `query` and `stats`.
import type { VerificationReport } from '../shared/verification-report';
import { safeForTerminal } from './format';

/** The keys to check with the publisher, and the option that trusts them. */
function untrustedKeys(r: VerificationReport): string {
  const keys = r.keys.filter((k) => !k.trusted);
  if (keys.length === 0) return '';
  return keys
    .map((k) => (k.shippedFile ? `${k.keyId} (shipped as ${safeForTerminal(k.shippedFile)})` : `${k.keyId} (not in the archive)`))
    .join(', ');
}

/** What the completeness findings say, after the day files' count. */
function completenessWords(r: VerificationReport): string {
  const c = r.completeness;
  const missing = c.missingDays.length + c.unlistedMissingDays;
  let out = '';
  if (missing > 0) out += `; ${missing} day(s) missing (neither day file nor digest)`;
  if (c.checkpoint?.status === 'mismatch') out += `; not the history of the checkpoint of ${c.checkpoint.checkpoint.date}`;
  return out;
}

/**
 * The verdict in one or two lines. `findingsShown`: the findings are listed above (verify); else
 * the line points to `alog verify` for them.
 */
export function verdictLines(r: VerificationReport, findingsShown: boolean): string {
  const s = r.summary;
  switch (s.verdict) {
    case 'verified':
      return 'VERIFIED: every record, chain link and signed digest checks out.\n';
    case 'untrusted_key':
      return (
        `AUTHENTIC ONLY IF THE KEY IS THE PUBLISHER'S: every record, chain link and digest checks out, but the digests are signed by a key you have not trusted: ${untrustedKeys(r)}.\n` +
        '  Check the key id with the publisher through another channel, then pass it with --trust-key FILE.pem.\n'
      );
    case 'unsealed':
      return 'NOT VERIFIED: the archive is unsealed (no integrity seal): nothing in it can be verified.\n';
    case 'invalid': {
      const bad = r.files.filter((f) => f.verdict === 'invalid' || f.verdict === 'unreadable').length;
      const kinds = Object.entries(s.findingsByKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      const where = `${s.findings} finding(s) (${kinds}); ${bad} of ${s.dayFiles} day file(s) with findings`;
      const untrusted = s.untrustedKeyFiles > 0 ? `; ${s.untrustedKeyFiles} more intact but signed by a key you have not trusted` : '';
      return `NOT VERIFIED: ${where}${untrusted}${completenessWords(r)}.${findingsShown ? ' See the findings above.' : ' `alog verify` lists them.'}\n`;
    }
  }
}
