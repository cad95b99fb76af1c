import { useEffect, useId, useState } from 'react';
import { isCalendarDay } from '../../../../shared/checkpoint';
import type { CompletenessSettings, ExpectedPeriod } from '../../../../shared/completeness-settings';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { VerificationReport } from '../../../../shared/verification-report';
import { plural } from '../../ui/format';
import { InertText } from '../../ui/InertText';
import { historyLine } from './history-words';
import './completeness.css';

/**
 * Completeness (completeness-erasure.md, section 1): whether every calendar day of the archive, and
 * of the period the user expects, has its day file and digest; and whether the archive is the
 * history recorded when it was last verified here.
 */
export function CompletenessCard({
  report,
  settings,
  onSetPeriod,
  onForgetHistory,
}: {
  report: VerificationReport | null;
  settings: IpcResult<CompletenessSettings> | undefined;
  onSetPeriod: (period: ExpectedPeriod | null) => Promise<string | null>;
  onForgetHistory: () => Promise<string | null>;
}) {
  const current = settings?.ok ? settings.value : undefined;
  return (
    <section className="card completeness-card" aria-labelledby="completeness-heading">
      <div className="card-header">
        <h2 id="completeness-heading">Completeness</h2>
        <span className="card-meta">Nothing missing at the ends, nothing in between</span>
      </div>
      <Calendar report={report} />
      <PeriodForm expected={current?.expected ?? null} onSave={onSetPeriod} />
      <History report={report} settings={current} onForget={onForgetHistory} />
    </section>
  );
}

function Calendar({ report }: { report: VerificationReport | null }) {
  if (!report) return <p className="completeness-row muted">The calendar is checked with the verification.</p>;
  const c = report.completeness;
  if (!c.firstDay || !c.lastDay) return <p className="completeness-row muted">The archive holds no day.</p>;
  const missing = c.missingDays.length + c.unlistedMissingDays;
  const span = c.firstDay === c.lastDay ? c.firstDay : `${c.firstDay} – ${c.lastDay}`;
  return (
    <div className={`completeness-row calendar is-${missing > 0 ? 'bad' : 'good'}`} data-testid="calendar">
      <span className="completeness-label">Calendar</span>
      {missing === 0 ? (
        <p>
          <span className="mono">{span}</span>: every day{c.expected ? ' of the archive and of the expected period' : ''} has its day file and digest.
        </p>
      ) : (
        <p>
          <strong>{plural(missing, 'day')} missing</strong> (neither day file nor digest):{' '}
          <span className="mono">{c.missingDays.slice(0, 12).join(', ')}</span>
          {missing > 12 && `, and ${missing - 12} more`}. The archive spans <span className="mono">{span}</span>.
        </p>
      )}
    </div>
  );
}

function PeriodForm({ expected, onSave }: { expected: ExpectedPeriod | null; onSave: (p: ExpectedPeriod | null) => Promise<string | null> }) {
  const [from, setFrom] = useState(expected?.from ?? '');
  const [through, setThrough] = useState(expected?.through ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hintId = useId();
  // The saved period is shown again whenever it changes (another window, a reload).
  useEffect(() => {
    setFrom(expected?.from ?? '');
    setThrough(expected?.through ?? '');
  }, [expected?.from, expected?.through]);

  const problem = (v: string) => v.trim() !== '' && !isCalendarDay(v.trim());
  const invalid = problem(from) ? 'from' : problem(through) ? 'through' : from.trim() && through.trim() && from.trim() > through.trim() ? 'order' : null;
  const dirty = from.trim() !== (expected?.from ?? '') || through.trim() !== (expected?.through ?? '');

  const save = async (period: ExpectedPeriod | null) => {
    setBusy(true);
    setError(await onSave(period));
    setBusy(false);
  };
  const submit = () => {
    if (invalid) return;
    const f = from.trim() || null;
    const t = through.trim() || null;
    void save(f === null && t === null ? null : { from: f, through: t });
  };

  return (
    <form
      className="completeness-row period-form"
      aria-label="Expected period"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <span className="completeness-label">Expected period</span>
      <div className="period-fields">
        <DayField label="From" name="expect-from" value={from} onChange={setFrom} invalid={invalid === 'from' || invalid === 'order'} hintId={hintId} />
        <DayField label="Through" name="expect-through" value={through} onChange={setThrough} invalid={invalid === 'through' || invalid === 'order'} hintId={hintId} />
        <button type="submit" className="button" disabled={busy || invalid !== null || !dirty}>
          Save period
        </button>
        {expected && (
          <button type="button" className="link-button" disabled={busy} onClick={() => void save(null)}>
            Clear
          </button>
        )}
      </div>
      <p id={hintId} className={invalid ? 'error-text period-hint' : 'period-hint'}>
        {invalid === 'order'
          ? 'The period must start on or before its last day.'
          : invalid
            ? 'A UTC day, YYYY-MM-DD (for example 2026-11-20).'
            : 'Each UTC day of this period must have a day file and a digest; either end may be left open. Remembered for this archive on this computer.'}
      </p>
      {error && (
        <p className="error-text" role="alert">
          <InertText text={error} />
        </p>
      )}
    </form>
  );
}

function DayField({
  label,
  name,
  value,
  onChange,
  invalid,
  hintId,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  hintId: string;
}) {
  return (
    <label className="date-field">
      <span className="date-label">{label}</span>
      <input
        className="date-input mono"
        name={name}
        placeholder="YYYY-MM-DD"
        spellCheck={false}
        autoComplete="off"
        aria-describedby={hintId}
        aria-invalid={invalid}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

function History({ report, settings, onForget }: { report: VerificationReport | null; settings: CompletenessSettings | undefined; onForget: () => Promise<string | null> }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const line = historyLine(report, settings);
  if (!line) return null;
  const canForget = settings?.checkedAgainst != null && report?.completeness.checkpoint?.status !== 'same_history';
  return (
    <div className={`completeness-row history is-${line.tone}`} data-testid="history">
      <span className="completeness-label">History</span>
      <div>
        <p className="history-text" role={line.tone === 'bad' ? 'alert' : undefined}>
          {line.text}
        </p>
        {line.detail && (
          <p className="history-detail">
            <InertText text={line.detail} />
          </p>
        )}
        {canForget &&
          (confirming ? (
            <div className="confirm-row" role="group" aria-label="Forget the recorded history">
              <p>
                Only if you know this archive was re-issued rightly: the archive is then no longer compared with the history verified before,
                and its present state is recorded instead.
              </p>
              <button
                type="button"
                className="button button-danger"
                onClick={() =>
                  void onForget().then((e) => {
                    setError(e);
                    setConfirming(false);
                  })
                }
              >
                Forget the recorded history
              </button>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" className="link-button" onClick={() => setConfirming(true)}>
              Forget the recorded history…
            </button>
          ))}
        {error && (
          <p className="error-text" role="alert">
            <InertText text={error} />
          </p>
        )}
      </div>
    </div>
  );
}
