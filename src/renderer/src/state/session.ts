import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArchiveOverview } from '../../../shared/archive-overview';
import type { ArchiveInfo, IpcResult } from '../../../shared/ipc-contract';
import type { TrustedKey } from '../../../shared/trusted-key';
import type { CompletenessSettings, ExpectedPeriod } from '../../../shared/completeness-settings';
import type { VerificationProgress, VerificationState } from '../../../shared/verification-run';
import { api, asFailure } from '../api';

type Loaded<T> = IpcResult<T> | undefined;


/** Runs `load` now and whenever `version` changes; a slower, older answer never overwrites a newer one. */
function useLoaded<T>(load: () => Promise<IpcResult<T>>, version: number): Loaded<T> {
  const [value, setValue] = useState<Loaded<T>>();
  useEffect(() => {
    let current = true;
    void load()
      .catch(asFailure)
      .then((result) => {
        if (current) setValue(result);
      });
    return () => {
      current = false;
    };
    // `load` calls the same operation every render; only `version` asks for a reload.
  }, [version]);
  return value;
}

export interface ArchiveSession {
  info: Loaded<ArchiveInfo>;
  overview: Loaded<ArchiveOverview>;
  keys: Loaded<{ keys: TrustedKey[] }>;
  verification: VerificationState | undefined;
  /** Live progress of the running verification (events arrive faster than state is re-read). */
  progress: VerificationProgress | null;
  startVerification(): Promise<void>;
  cancelVerification(): Promise<void>;
  /** The last failure of a start/cancel request, for an alert. */
  actionError: string | null;
  /** The expected period and the checkpoints the archive is checked against. */
  completeness: Loaded<CompletenessSettings>;
  /** Remembers the expected period (null: none); resolves to an error message, or null. */
  setExpectedPeriod(period: ExpectedPeriod | null): Promise<string | null>;
  forgetCheckpoint(): Promise<string | null>;
}

/**
 * The open archive as the UI sees it. Backend events only say that something changed; the state
 * itself is read again through the contract, so a missed event costs a refresh, not a wrong view.
 */
export function useArchiveSession(): ArchiveSession {
  const [overviewVersion, setOverviewVersion] = useState(0);
  const [keysVersion, setKeysVersion] = useState(0);
  const [completenessVersion, setCompletenessVersion] = useState(0);
  const [verification, setVerification] = useState<VerificationState>();
  const [progress, setProgress] = useState<VerificationProgress | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const runIdRef = useRef<string | null>(null);

  const info = useLoaded(() => api.getArchiveInfo({}), 0);
  const overview = useLoaded(() => api.getOverview({}), overviewVersion);
  const keys = useLoaded(() => api.listTrustedKeys({}), keysVersion);
  const completeness = useLoaded(() => api.getCompletenessSettings({}), completenessVersion);

  const refreshVerification = useCallback(async () => {
    const result = await api.getVerificationReport({}).catch(asFailure);
    if (!result.ok) return;
    runIdRef.current = result.value.runId;
    setVerification(result.value);
    setProgress(result.value.status === 'running' ? result.value.progress : null);
  }, []);

  useEffect(() => {
    void refreshVerification();
    return api.onEvent((event) => {
      switch (event.type) {
        case 'connected':
          void refreshVerification();
          setOverviewVersion((v) => v + 1);
          setKeysVersion((v) => v + 1);
          setCompletenessVersion((v) => v + 1);
          break;
        case 'completenessSettingsChanged':
          setCompletenessVersion((v) => v + 1);
          break;
        case 'verificationStarted':
          runIdRef.current = event.runId;
          setProgress(null);
          void refreshVerification();
          break;
        case 'verificationProgress':
          if (event.progress.runId === runIdRef.current) setProgress(event.progress);
          break;
        case 'verificationFinished':
          if (event.runId === runIdRef.current) {
            void refreshVerification();
            setOverviewVersion((v) => v + 1);
          }
          break;
        case 'trustedKeysChanged':
          setKeysVersion((v) => v + 1);
          setOverviewVersion((v) => v + 1);
          void refreshVerification();
          break;
      }
    });
  }, [refreshVerification]);

  const startVerification = useCallback(async () => {
    const result = await api.startVerification({}).catch(asFailure);
    if (!result.ok) {
      setActionError(result.error.message);
      return;
    }
    setActionError(null);
    runIdRef.current = result.value.runId;
    setProgress(null);
    // Show "running" at once; the started event confirms it.
    setVerification((v) => v && { ...v, status: 'running', runId: result.value.runId, progress: null, error: null });
    void refreshVerification();
  }, [refreshVerification]);

  const cancelVerification = useCallback(async () => {
    const result = await api.cancelVerification({ runId: runIdRef.current ?? undefined }).catch(asFailure);
    setActionError(result.ok ? null : result.error.message);
  }, []);

  const setExpectedPeriod = useCallback(async (period: ExpectedPeriod | null) => {
    const result = await api.setExpectedPeriod({ period }).catch(asFailure);
    setCompletenessVersion((v) => v + 1);
    return result.ok ? null : result.error.message;
  }, []);

  const forgetCheckpoint = useCallback(async () => {
    const result = await api.forgetCheckpoint({}).catch(asFailure);
    setCompletenessVersion((v) => v + 1);
    return result.ok ? null : result.error.message;
  }, []);

  return { info, overview, keys, verification, progress, startVerification, cancelVerification, actionError, completeness, setExpectedPeriod, forgetCheckpoint };
}
