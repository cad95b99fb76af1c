import type { IpcResult } from '../../../../shared/ipc-contract';
import type { CompletenessSettings, ExpectedPeriod } from '../../../../shared/completeness-settings';
import type { ReportFinding, ReportWarning } from '../../../../shared/verification-report';
import type { TrustedKey } from '../../../../shared/trusted-key';
import type { VerificationProgress, VerificationState } from '../../../../shared/verification-run';
import { TrustedKeysPanel } from '../keys/TrustedKeysPanel';
import { FindingsList, type OpenedFinding } from './FindingsList';
import { RunPanel } from './RunPanel';
import { IntegrityReportCard } from './IntegrityReportCard';
import { WarningsList } from './WarningsList';
import { CompletenessCard } from '../completeness/CompletenessCard';

export function IntegrityView({
  verification,
  progress,
  keys,
  actionError,
  focusFile,
  selectedFinding,
  completeness,
  onSetPeriod,
  onForgetHistory,
  onStart,
  onCancel,
  onOpenFinding,
}: {
  verification: VerificationState | undefined;
  progress: VerificationProgress | null;
  keys: IpcResult<{ keys: TrustedKey[] }> | undefined;
  actionError: string | null;
  focusFile: { file: string } | null;
  selectedFinding: ReportFinding | ReportWarning | null;
  completeness: IpcResult<CompletenessSettings> | undefined;
  onSetPeriod: (period: ExpectedPeriod | null) => Promise<string | null>;
  onForgetHistory: () => Promise<string | null>;
  onStart: () => void;
  onCancel: () => void;
  onOpenFinding: (target: OpenedFinding, opener: HTMLElement) => void;
}) {
  const report = verification?.report ?? null;
  const running = verification?.status === 'running';
  return (
    <div className="integrity-view">
      <div className="integrity-main scroll-area">
        <RunPanel verification={verification} progress={progress} actionError={actionError} onStart={onStart} onCancel={onCancel} />
        <CompletenessCard report={report} settings={completeness} onSetPeriod={onSetPeriod} onForgetHistory={onForgetHistory} />
        <section className="findings" aria-labelledby="findings-heading">
          <h2 id="findings-heading" className="section-title">
            Findings
            {report && running && <span className="section-note"> from the previous run</span>}
          </h2>
          {report ? (
            <FindingsList report={report} focusFile={focusFile} selected={selectedFinding} onOpen={onOpenFinding} />
          ) : (
            <p className="empty-note">{running ? 'Findings appear when the run completes.' : 'Run verification to list findings.'}</p>
          )}
        </section>
        {report && <WarningsList report={report} selected={selectedFinding} onOpen={onOpenFinding} />}
      </div>
      <div className="integrity-side scroll-area">
        <IntegrityReportCard verification={verification} />
        <TrustedKeysPanel keys={keys} />
      </div>
    </div>
  );
}
