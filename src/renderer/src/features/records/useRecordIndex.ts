import { useCallback, useEffect, useState } from 'react';
import type { FieldInfo, IndexProgress, IndexState } from '../../../../shared/record-search';
import { api } from '../../api';

export interface RecordIndex {
  state: IndexState | undefined;
  /** Live progress while indexing (events arrive faster than the state is read). */
  progress: IndexProgress | null;
  fields: FieldInfo[];
  /** A failure to reach the backend at all. */
  error: string | null;
  open(): void;
  cancel(): void;
}

/**
 * The archive's index as the Records screen needs it: opened when the screen first shows (the
 * backend builds what its cache lacks), with progress from the event stream and the field list
 * for completion once it is ready.
 */
export function useRecordIndex(): RecordIndex {
  const [state, setState] = useState<IndexState>();
  const [progress, setProgress] = useState<IndexProgress | null>(null);
  const [fields, setFields] = useState<FieldInfo[]>([]);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const result = await api.getIndexState({});
    if (result.ok) setState(result.value);
  }, []);

  const open = useCallback(() => {
    void api.openIndex({}).then((result) => {
      if (result.ok) {
        setError(null);
        setState(result.value);
      } else setError(result.error.message);
    });
  }, []);

  const cancel = useCallback(() => {
    void api.cancelIndexing({}).then(() => refresh());
  }, [refresh]);

  useEffect(() => {
    open();
    return api.onEvent((event) => {
      switch (event.type) {
        case 'connected':
        case 'indexStarted':
        case 'indexFinished':
          setProgress(null);
          void refresh();
          break;
        case 'indexProgress':
          setProgress(event.progress);
          break;
      }
    });
  }, [open, refresh]);

  const ready = state?.status === 'ready';
  useEffect(() => {
    if (!ready) return;
    let current = true;
    void api.listFields({}).then((result) => {
      if (current && result.ok) setFields(result.value.fields);
    });
    return () => {
      current = false;
    };
  }, [ready]);

  return { state, progress: progress ?? state?.progress ?? null, fields, error, open, cancel };
}
