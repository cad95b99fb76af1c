import type { ReactNode } from 'react';
import type { ExportPlanOutput } from '../../../../shared/export-wizard';
import type { IpcResult } from '../../../../shared/ipc-contract';
import { formatCount, plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import type { ExportContext, ExportDraft, ScopeKind } from './export-draft';
import type { Plans } from './ExportWizard';
import { IntegrityLine } from './IntegrityStatement';

/** "From 2026-11-19 · before 2026-11-20T00:00:00Z" for the query's time window. */
export function windowText(context: Pick<ExportContext, 'from' | 'to'>): string | null {
  const parts: string[] = [];
  if (context.from !== undefined) parts.push(`from ${context.from}`);
  if (context.to !== undefined) parts.push(`before ${context.to}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function PlanSummary({ plan }: { plan: IpcResult<ExportPlanOutput> | undefined }) {
  if (!plan) return <span className="muted">Counting…</span>;
  if (!plan.ok) {
    return (
      <span className="export-bad">
        <InertText text={plan.error.message} />
      </span>
    );
  }
  const { total, days } = plan.value;
  return (
    <span>
      <strong className="num">{plural(total, 'record')}</strong>
      {days.length > 0 && <> in {plural(days.length, 'day')}</>}
      {total > 0 && (
        <>
          {' · '}
          <IntegrityLine integrity={plan.value.integrity} verification={plan.value.verification} />
        </>
      )}
    </span>
  );
}

export function ScopeStep({
  draft,
  context,
  plans,
  onChange,
}: {
  draft: ExportDraft;
  context: ExportContext;
  plans: Plans;
  onChange: (change: Partial<ExportDraft>) => void;
}) {
  const window_ = windowText(context);
  const option = (kind: ScopeKind, label: string, detail: ReactNode, disabled = false) => (
    <label className={`export-choice${draft.scope === kind ? ' is-selected' : ''}${disabled ? ' is-disabled' : ''}`}>
      <input type="radio" name="export-scope" value={kind} checked={draft.scope === kind} disabled={disabled} onChange={() => onChange({ scope: kind })} />
      <span className="export-choice-text">
        <span className="export-choice-label">{label}</span>
        <span className="export-choice-detail">{detail}</span>
        <span className="export-choice-count">{disabled ? null : <PlanSummary plan={plans[kind]} />}</span>
      </span>
    </label>
  );
  return (
    <div className="export-step-body">
      <p className="export-lead">Records are exported in archive order, each with the proof that ties it to its day&apos;s signed digest.</p>
      <div role="radiogroup" aria-label="Scope" className="export-choices">
        {option(
          'query',
          'Current query and time range',
          context.query === '' && window_ === null ? (
            'The Records screen shows every record (no query, no time range).'
          ) : (
            <>
              {context.query !== '' ? <code className="export-query"><InertText text={context.query} /></code> : 'No query'}
              {window_ !== null && <span className="export-window"> · {window_}</span>}
            </>
          ),
        )}
        {option(
          'rows',
          `Selected rows${context.selectedIds.length > 0 ? ` (${formatCount(context.selectedIds.length)})` : ''}`,
          context.selectedIds.length > 0
            ? 'Exactly the rows checked in the records grid.'
            : 'No rows are selected. Tick rows in the records grid (Space, or Shift+click a range) to export just those.',
          context.selectedIds.length === 0,
        )}
        {option('all', 'All records', 'Every record of the archive.')}
      </div>
    </div>
  );
}
