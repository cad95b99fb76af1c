import type { IpcResult } from '../../../../shared/ipc-contract';
import type { ReportFinding } from '../../../../shared/verification-report';
import type { TrustedKey } from '../../../../shared/trusted-key';
import type { VerificationProgress, VerificationState } from '../../../../shared/verification-run';
import { TrustedKeysPanel } from '../keys/TrustedKeysPanel';
import { FindingsList, type OpenedFinding } from './FindingsList';
import { RunPanel } from './RunPanel';
import { IntegrityReportCard } from './IntegrityReportCard';

export function IntegrityView({
  verification,
  progress,
  keys,
  actionError,
  focusFile,
  selectedFinding,
  onStart,
  onCancel,
  onOpenFinding,
}: {
  verification: VerificationState | undefined;
  progress: VerificationProgress | null;
  keys: IpcResult<{ keys: TrustedKey[] }> | undefined;
  actionError: string | null;
  focusFile: { file: string } | null;
  selectedFinding: ReportFinding | null;
  onStart: () => void;
  onCancel: () => void;
  onOpenFinding: (target: OpenedFinding, opener: HTMLElement) => void;
}) {
  const report = verification?.report ?? null;
  const running = verification?.status === 'running';
  return (
    <div className="integrity">
      <div className="integrity-main scroll-area">
        <RunPanel verification={verification} progress={progress} actionError={actionError} onStart={onStart} onCancel={onCancel} />
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
      </div>
      <div className="integrity-side scroll-area">
        <IntegrityReportCard verification={verification} />
        <TrustedKeysPanel keys={keys} />
      </div>
    </div>
  );
}
