import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import type { ExporterKeyInfo, ExportPlanOutput, ExportSetup, ProfileEntry } from '../../../../shared/export-wizard';
import type { IpcResult } from '../../../../shared/ipc-contract';
import { api, asFailure } from '../../api';
import { InertText } from '../../ui/InertText';
import { defaultDestination, fieldsOf, initialDraft, profileChoice, scopeOf, STEPS, type ExportContext, type ExportDraft, type ScopeKind, type StepId } from './export-draft';
import { FieldsStep } from './FieldsStep';
import { FormatStep } from './FormatStep';
import { ProfileStep, type ProfileCheck } from './ProfileStep';
import { ReviewStep } from './ReviewStep';
import { RunFooter, RunView } from './RunView';
import { ScopeStep } from './ScopeStep';
import { useExportRun } from './useExportRun';
import './export.css';

type Loaded<T> = IpcResult<T> | undefined;

const STEP_TITLES: Record<StepId, string> = {
  scope: 'What to export',
  fields: 'Which columns',
  profile: 'How personal data is redacted',
  format: 'Format and destination',
  review: 'Review before exporting',
};

function runTitle(status: string | undefined): string {
  switch (status) {
    case 'running':
      return 'Exporting…';
    case 'done':
      return 'Export complete';
    case 'cancelled':
      return 'Export cancelled';
    case 'failed':
      return 'Export failed';
    default:
      return 'Export';
  }
}
export type Plans = Partial<Record<ScopeKind, Loaded<ExportPlanOutput>>>;


/**
 * The export wizard, a modal dialog: scope, columns, redaction profile, format and destination,
 * review with a before/after preview, then the run with progress and cancel, and the manifest
 * with its check. Enter goes on, Escape closes (a running export goes on; reopening shows it).
 */
export function ExportWizard({ context, onClose }: { context: ExportContext; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [step, setStep] = useState<StepId>('scope');
  const [draft, setDraft] = useState<ExportDraft>(() => initialDraft(context));
  const [setup, setSetup] = useState<Loaded<ExportSetup>>();
  const [profiles, setProfiles] = useState<Loaded<{ profiles: ProfileEntry[]; problems: { file: string; message: string }[] }>>();
  const [exporterKey, setExporterKey] = useState<Loaded<ExporterKeyInfo>>();
  const [plans, setPlans] = useState<Plans>({});
  const [profileCheck, setProfileCheck] = useState<ProfileCheck>({ state: 'idle' });
  const [stepError, setStepError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showRun, setShowRun] = useState(false);
  const run = useExportRun();

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (!el.open) el.showModal();
    return () => el.close();
  }, []);

  // A run going on (started before the wizard was closed) is shown at once.
  const running = run.state?.status === 'running';
  useEffect(() => {
    if (running) setShowRun(true);
  }, [running]);

  const reloadProfiles = useCallback(async () => {
    setProfiles(await api.listRedactionProfiles({}).catch(asFailure));
  }, []);

  useEffect(() => {
    void api
      .getExportSetup({})
      .catch(asFailure)
      .then((result) => {
        setSetup(result);
        if (result.ok) setDraft((d) => (d.out === '' ? { ...d, out: defaultDestination(result.value, d.format) } : d));
      });
    void reloadProfiles();
    void api
      .getExporterKey({})
      .catch(asFailure)
      .then((key) => {
        setExporterKey(key);
        if (key.ok) setDraft((d) => (d.operator === '' ? { ...d, operator: key.value.operator } : d));
      });
    const kinds: ScopeKind[] = ['all', 'query', ...(context.selectedIds.length > 0 ? (['rows'] as const) : [])];
    const loadPlans = (): void => {
      for (const kind of kinds) {
        void api
          .planExport({ scope: scopeOf(kind, context) })
          .catch(asFailure)
          .then((plan) => setPlans((p) => ({ ...p, [kind]: plan })));
      }
    };
    loadPlans();
    // The plans state what the archive's verification says: read again when it changes.
    return api.onEvent((event) => {
      if (event.type === 'verificationFinished' || event.type === 'trustedKeysChanged' || event.type === 'connected') loadPlans();
      else if (event.type === 'verificationProgress') {
        const { doneBytes, totalBytes } = event.progress;
        setPlans((p) =>
          Object.fromEntries(
            Object.entries(p).map(([k, plan]) => [
              k,
              plan?.ok && plan.value.verification.status === 'verifying' ? { ...plan, value: { ...plan.value, verification: { ...plan.value.verification, doneBytes, totalBytes } } } : plan,
            ]),
          ),
        );
      }
    });
    // The context is the one the wizard was opened with.
  }, []);

  const stepIndex = STEPS.findIndex((s) => s.id === step);
  const goTo = useCallback((id: StepId) => {
    setStepError(null);
    setStep(id);
  }, []);

  // Each step starts with its heading focused, so a screen reader announces where the user is.
  useEffect(() => {
    heading.current?.focus();
  }, [step, showRun]);

  const update = useCallback((change: Partial<ExportDraft>) => {
    setStepError(null);
    setDraft((d) => ({ ...d, ...change }));
  }, []);

  /** Whether the current step lets the user go on, and if not, why. */
  const blocker = useMemo((): string | null => {
    switch (step) {
      case 'scope': {
        const plan = plans[draft.scope];
        if (draft.scope === 'rows' && context.selectedIds.length === 0) return 'Select rows in the records grid first.';
        if (!plan) return 'Counting the records…';
        if (!plan.ok) return plan.error.message;
        if (plan.value.total === 0) return 'This scope holds no records.';
        return null;
      }
      case 'fields':
        return draft.preset !== 'full' && draft.fields.length === 0 ? 'Choose at least one column.' : null;
      case 'profile':
        if (draft.profile.kind === 'named') return null;
        if (profileCheck.state === 'valid') return null;
        return profileCheck.state === 'invalid' ? 'The custom profile has problems (listed above).' : 'Checking the custom profile…';
      case 'format':
        return draft.out.trim() === '' ? 'Give the file to write.' : null;
      case 'review':
        return null;
    }
  }, [step, plans, draft, context.selectedIds.length, profileCheck]);

  const startExport = useCallback(async () => {
    const profile = profileChoice(draft.profile);
    if (profile === undefined) return;
    setBusy(true);
    const error = await run.start({
      scope: scopeOf(draft.scope, context),
      profile,
      format: draft.format,
      out: draft.out.trim(),
      fields: fieldsOf(draft),
      bom: draft.format === 'csv' && draft.bom,
      overwrite: draft.overwrite,
      ...(draft.operator.trim() !== '' ? { operator: draft.operator.trim() } : {}),
    });
    setBusy(false);
    if (error) setStepError(error);
    else setShowRun(true);
  }, [draft, context, run]);

  const next = useCallback(async () => {
    if (busy || blocker !== null) {
      if (blocker !== null) setStepError(blocker);
      return;
    }
    if (step === 'format') {
      setBusy(true);
      const check = await api.checkExportDestination({ out: draft.out.trim(), overwrite: draft.overwrite }).catch(asFailure);
      setBusy(false);
      if (!check.ok) return setStepError(check.error.message);
      if (!check.value.ok) return setStepError(check.value.message);
    }
    if (step === 'review') return void startExport();
    goTo(STEPS[stepIndex + 1]!.id);
  }, [busy, blocker, step, draft.out, draft.overwrite, stepIndex, goTo, startExport]);

  const back = () => {
    if (stepIndex > 0) goTo(STEPS[stepIndex - 1]!.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      // Not on to the Records screen's own Escape (closing its record detail).
      event.stopPropagation();
      return;
    }
    if (event.key !== 'Enter' || event.defaultPrevented || event.nativeEvent.isComposing || showRun) return;
    const target = event.target as HTMLElement;
    // Buttons, links and text areas keep their own Enter.
    if (target.tagName === 'BUTTON' || target.tagName === 'TEXTAREA' || target.tagName === 'A' || target.tagName === 'SUMMARY') return;
    event.preventDefault();
    void next();
  };

  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault();
    onClose();
  };

  const restart = () => {
    setShowRun(false);
    goTo('review');
  };

  const title = showRun ? runTitle(run.state?.status) : STEP_TITLES[step];
  return (
    <dialog ref={dialog} className="export-dialog" aria-labelledby="export-title" onKeyDown={onKeyDown} onCancel={onCancel}>
      <header className="export-header">
        <h2 id="export-title" className="export-title">
          Export records
        </h2>
        {!showRun && (
          <ol className="export-steps" aria-label="Steps">
            {STEPS.map((s, i) => (
              <li key={s.id} className="export-step-item" aria-current={s.id === step ? 'step' : undefined}>
                <button type="button" className="export-step" disabled={i >= stepIndex} onClick={() => goTo(s.id)} tabIndex={i < stepIndex ? 0 : -1}>
                  <span className="export-step-number" aria-hidden="true">
                    {i < stepIndex ? '✓' : i + 1}
                  </span>
                  {s.label}
                </button>
              </li>
            ))}
          </ol>
        )}
        <button type="button" className="icon-button export-close" aria-label="Close export" title="Close (Escape)" onClick={onClose}>
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <path d="M4 4l8 8M12 4l-8 8" />
          </svg>
        </button>
      </header>
      <div className="export-body">
        <h3 ref={heading} tabIndex={-1} className="export-step-title">
          {title}
        </h3>
        {showRun ? (
          <RunView run={run} />
        ) : (
          <>
            {step === 'scope' && <ScopeStep draft={draft} context={context} plans={plans} onChange={update} />}
            {step === 'fields' && <FieldsStep draft={draft} onChange={update} />}
            {step === 'profile' && (
              <ProfileStep draft={draft} profiles={profiles} onChange={update} check={profileCheck} onCheck={setProfileCheck} onSaved={reloadProfiles} />
            )}
            {step === 'format' && <FormatStep draft={draft} setup={setup} onChange={update} />}
            {step === 'review' && <ReviewStep draft={draft} context={context} plan={plans[draft.scope]} exporterKey={exporterKey} onChange={update} />}
          </>
        )}
      </div>
      {showRun ? (
        <footer className="export-footer">
          <RunFooter run={run} setup={setup?.ok ? setup.value : undefined} onBack={restart} onClose={onClose} />
        </footer>
      ) : (
        <footer className="export-footer">
          <p className="export-footer-message" role="alert">
            {stepError && <InertText text={stepError} />}
          </p>
          <span className="export-footer-hint" aria-hidden="true">
            <kbd>Enter</kbd> next <kbd>Esc</kbd> close
          </span>
          <button type="button" className="button" onClick={back} disabled={stepIndex === 0}>
            Back
          </button>
          <button type="button" className="button button-primary" onClick={() => void next()} disabled={busy}>
            {step === 'review' ? (busy ? 'Starting…' : 'Export') : busy ? 'Checking…' : 'Next'}
          </button>
        </footer>
      )}
    </dialog>
  );
}
