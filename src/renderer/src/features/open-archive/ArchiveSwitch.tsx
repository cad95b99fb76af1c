import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../../api';
import { ArchiveDrop } from './ArchiveDrop';
import { onArchiveOpenedHere } from './open-archive';

/**
 * Remounts its children whenever another archive is opened, so every view reads its state
 * afresh through the contract (the same as a reload, without reloading the page), and takes
 * folders dropped anywhere on the window.
 */
export function ArchiveSwitch({ children }: { children: ReactNode }) {
  const [generation, setGeneration] = useState(0);
  const current = useRef<string | null>(null);

  useEffect(() => {
    let alive = true;
    /**
     * Remounts unless `path` is the archive shown. Reading the current archive while none is known
     * yet (at load) only records it; an open is a switch even then.
     */
    const adopt = (path: string, read = false) => {
      if (!alive || current.current === path) return;
      if (!(read && current.current === null)) setGeneration((g) => g + 1);
      current.current = path;
    };
    const readCurrent = () =>
      void api
        .getArchiveInfo({})
        .then((result) => result.ok && adopt(result.value.path, true))
        .catch(() => undefined);
    readCurrent();
    const offEvents = api.onEvent((event) => {
      if (event.type === 'archiveOpened') adopt(event.archive.path);
      // The event stream was down: another archive may have been opened meanwhile.
      else if (event.type === 'connected') readCurrent();
    });
    const offHere = onArchiveOpenedHere((info) => adopt(info.path));
    return () => {
      alive = false;
      offEvents();
      offHere();
    };
  }, []);

  return (
    <>
      <Fragment key={generation}>{children}</Fragment>
      <ArchiveDrop />
    </>
  );
}
