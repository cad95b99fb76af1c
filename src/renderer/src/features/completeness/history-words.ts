import type { CompletenessSettings } from '../../../../shared/completeness-settings';
import type { VerificationReport } from '../../../../shared/verification-report';
import { formatTime, plural } from '../../ui/format';

export interface HistoryLine {
  tone: 'good' | 'bad' | 'neutral';
  /** The headline: what the check against the recorded history amounts to. */
  text: string;
  /** Why, for a mismatch: the finding's own words. */
  detail?: string;
}

/**
 * The archive checked against the history recorded by an earlier verification here, in a sentence
 * (Integrity, Overview, the header): said only of what the report checked.
 */
export function historyLine(report: VerificationReport | null | undefined, settings: CompletenessSettings | undefined): HistoryLine | null {
  const check = report?.completeness.checkpoint;
  if (check) {
    const when = formatTime(check.checkpoint.verified_at);
    switch (check.status) {
      case 'same_history':
        return {
          tone: 'good',
          text:
            check.extendedBy === 0
              ? `Same history as on ${when}: no day added since (through ${check.checkpoint.date}).`
              : `Same history as on ${when}, extended by ${plural(check.extendedBy, 'day')} (${check.checkpoint.date} → ${check.newestDay}).`,
        };
      case 'mismatch': {
        const finding =
          report.completeness.findings.find((f) => f.kind === 'checkpoint_mismatch') ??
          report.digests.flatMap((d) => d.findings).find((f) => f.kind === 'checkpoint_mismatch');
        return { tone: 'bad', text: `History changed since ${when}: this is not the archive verified then.`, detail: finding?.message };
      }
      case 'chain_broken':
        return {
          tone: 'bad',
          text: `The history through ${check.checkpoint.date} is the one verified on ${when}, but the days after it do not follow on from it without findings.`,
        };
    }
  }
  if (!settings || !report) return null;
  if (settings.checkedAgainst === null && settings.stored) {
    return { tone: 'neutral', text: `History recorded for the next open: through ${settings.stored.date} (verified ${formatTime(settings.stored.verified_at)}).` };
  }
  return { tone: 'neutral', text: 'No history recorded yet: a verification whose newest day verifies records it, and the next open is checked against it.' };
}
