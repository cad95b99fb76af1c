import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportRunProgress, ExportState, ManifestCheck, StartExportInput } from '../../../../shared/export-wizard';
import type { IpcResult } from '../../../../shared/ipc-contract';
import { api, asFailure } from '../../api';

export interface ExportRun {
  state: ExportState | undefined;
  /** Live progress of the running export (events arrive faster than the state is read). */
  progress: ExportRunProgress | null;
  /** The check of the completed run's manifest, once it has answered. */
  check: IpcResult<ManifestCheck> | undefined;
  start(input: StartExportInput): Promise<string | null>;
  cancel(): Promise<void>;
}


/**
 * The backend's export run as the wizard shows it. Events only say that something changed; the
 * state is read again through the contract. A completed run's manifest is checked once.
 */
export function useExportRun(): ExportRun {
  const [state, setState] = useState<ExportState>();
  const [progress, setProgress] = useState<ExportRunProgress | null>(null);
  const [check, setCheck] = useState<{ runId: string; result: IpcResult<ManifestCheck> }>();
  const runId = useRef<string | null>(null);
  const checking = useRef<string | null>(null);

  // Answers can arrive out of order over HTTP: only the latest request's answer is applied, so an
  // older "running" never overwrites a newer "done".
  const requests = useRef(0);
  const refresh = useCallback(async () => {
    const request = ++requests.current;
    const result = await api.getExportState({}).catch(asFailure);
    if (!result.ok || request !== requests.current) return;
    runId.current = result.value.runId;
    setState(result.value);
    setProgress(result.value.status === 'running' ? result.value.progress : null);
  }, []);

  useEffect(() => {
    void refresh();
    return api.onEvent((event) => {
      switch (event.type) {
        case 'connected':
        case 'exportStarted':
        case 'exportFinished':
          void refresh();
          break;
        case 'exportProgress':
          if (event.progress.runId === runId.current) setProgress(event.progress);
          break;
      }
    });
  }, [refresh]);

  const completedRun = state?.status === 'done' && state.outcome ? state.runId : null;
  useEffect(() => {
    if (completedRun === null || checking.current === completedRun) return;
    checking.current = completedRun;
    void api
      .verifyExportManifest({ runId: completedRun })
      .catch(asFailure)
      .then((result) => setCheck({ runId: completedRun, result }));
  }, [completedRun]);

  const start = useCallback(
    async (input: StartExportInput): Promise<string | null> => {
      const result = await api.startExport(input).catch(asFailure);
      if (!result.ok) return result.error.message;
      runId.current = result.value.runId;
      setProgress(null);
      setState((s) => s && { ...s, status: 'running', runId: result.value.runId, progress: null, error: null, outcome: null, out: input.out });
      void refresh();
      return null;
    },
    [refresh],
  );

  const cancel = useCallback(async () => {
    await api.cancelExport({ runId: runId.current ?? undefined }).catch(asFailure);
  }, []);

  return { state, progress, check: check && check.runId === state?.runId ? check.result : undefined, start, cancel };
}
