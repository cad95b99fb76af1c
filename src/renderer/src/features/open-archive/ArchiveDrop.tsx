import { useEffect, useRef, useState } from 'react';
import { InertText } from '../../ui/InertText';
import { droppedArchive } from './dropped-archive';
import { canOpenDroppedFolders, openArchiveAt, requestOpenArchiveField } from './open-archive';
import './open-archive.css';

type Notice = { tone: 'busy' | 'bad'; text: string } | null;

/** Files are being dragged (not text or a link from the page). */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Dropping a folder anywhere on the window opens it as the archive (desktop app). While files are
 * dragged over the window an overlay says what a drop does; the browser host cannot learn where
 * a dropped folder is, so there the overlay says so and a drop opens the header's path field.
 */
export function ArchiveDrop() {
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const depth = useRef(0);
  const desktop = canOpenDroppedFolders();

  useEffect(() => {
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current++;
      setDragging(true);
      setNotice(null);
    };
    const onOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the browser would open the dropped file as a page. The browser host takes
      // the drop too, to point at the path field.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      if (!desktop || !window.files || !event.dataTransfer) {
        requestOpenArchiveField('A browser tab cannot see where a dropped folder is. Type its path here instead.');
        return;
      }
      const dropped = droppedArchive(event.dataTransfer, window.files.pathForFile);
      if ('problem' in dropped) {
        setNotice({ tone: 'bad', text: dropped.problem });
        return;
      }
      setNotice({ tone: 'busy', text: `Opening ${dropped.path}…` });
      void openArchiveAt(dropped.path).then((problem) => setNotice(problem === null ? null : { tone: 'bad', text: problem }));
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [desktop]);

  return (
    <>
      {dragging && (
        <div className="drop-overlay" role="presentation">
          <div className="drop-target" role="status" aria-live="polite">
            <svg className="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.4l2 2.2h8.6A1.5 1.5 0 0 1 21 8.7v9.8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z" />
              <path className="drop-arrow" d="M12 10.5v6m-2.6-2.6L12 16.5l2.6-2.6" />
            </svg>
            <p className="drop-title">Drop an archive folder to open it</p>
            {desktop ? (
              <p className="drop-hint">The folder that holds the day files (activations-YYYY-MM-DD.jsonl). The archive open now is closed.</p>
            ) : (
              <p className="drop-hint">
                In a browser tab the page cannot see where a dropped folder is. Type the folder’s path in <strong>Open archive…</strong> at the top
                right instead.
              </p>
            )}
          </div>
        </div>
      )}
      {notice && (
        <div className={`drop-notice drop-notice-${notice.tone}`} role={notice.tone === 'bad' ? 'alert' : 'status'}>
          <span className="drop-notice-text">
            {notice.tone === 'bad' && <strong>Cannot open that: </strong>}
            <InertText text={notice.text} />
          </span>
          {notice.tone === 'bad' && (
            <button type="button" className="button button-small" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          )}
        </div>
      )}
    </>
  );
}
