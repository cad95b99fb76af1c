import type { ExportPreviewOutput } from '../../../../shared/export-wizard';
import { DETECTOR_DESCRIPTIONS, DetectorName } from '../../../../shared/redaction-profile';
import { formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { PathText } from './ExportText';

type Rule = ExportPreviewOutput['rules'][number];

/** A rule as a reader names it: the field's path, what a detector finds, or the pattern's id. */
export function ruleName(rule: Pick<Rule, 'id' | 'kind'>): string {
  const [, rest = rule.id] = /^[a-z]+:(.*)$/.exec(rule.id) ?? [];
  if (rule.kind === 'text') {
    const detector = DetectorName.safeParse(rest);
    if (detector.success) return DETECTOR_DESCRIPTIONS[detector.data].split(/[(:]/)[0]!.trim();
  }
  return rule.kind === 'pattern' ? `pattern ${rest}` : rest;
}

/** What a changed value becomes: PERSON_n, [CARD], removed. */
export function ruleResult(rule: Pick<Rule, 'action' | 'label'>): string {
  if (rule.action === 'remove') return 'removed';
  if (rule.action === 'mask') return rule.label ? `[${rule.label}]` : 'masked';
  if (rule.action === 'pseudonymize') return rule.label ? `${rule.label}_n` : 'pseudonyms';
  return rule.action;
}

/** The rules that changed something, with how many values each changed. */
export function RuleCounts({ rules, caption }: { rules: readonly Rule[]; caption: string }) {
  const changed = rules.filter((r) => r.count > 0);
  return (
    <table className="export-table export-rules">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col">Becomes</th>
          <th scope="col" className="num">
            Values
          </th>
        </tr>
      </thead>
      <tbody>
        {changed.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              No value changed.
            </td>
          </tr>
        )}
        {changed.map((r) => (
          <tr key={r.id}>
            <th scope="row" className={r.kind === 'field' ? 'mono' : undefined} title={`${r.id}: ${r.description}`}>
              {r.kind === 'field' ? <PathText path={ruleName(r)} /> : <InertText text={ruleName(r)} />}
            </th>
            <td className="mono export-becomes">
              <InertText text={ruleResult(r)} />
            </td>
            <td className="num">{formatCount(r.count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
