import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { RecentArchive } from '../../../../shared/recent-archives';
import { api } from '../../api';
import { InertText } from '../../ui/InertText';
import { canOpenDroppedFolders, onOpenArchiveFieldRequested, openArchiveAt } from './open-archive';
import './open-archive.css';
import { closePopoverOnEscape } from '../../ui/popover';

type Recents = { state: 'loading' } | { state: 'ok'; archives: RecentArchive[] } | { state: 'failed'; message: string };

/**
 * "Open archive…" in the header: a panel with a path field (the browser host's only way to open
 * another archive, and a quick one in the desktop app) and the archives opened lately.
 * Escape or a click elsewhere closes it.
 */
export function OpenArchiveButton({ currentPath }: { currentPath: string | null }) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [recents, setRecents] = useState<Recents>({ state: 'loading' });
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const panelId = useId();
  const inputId = useId();
  const problemId = useId();

  const show = useCallback((message: string | null) => {
    setHint(message);
    setProblem(null);
    setOpen(true);
  }, []);

  useEffect(() => onOpenArchiveFieldRequested(show), [show]);

  useEffect(() => {
    if (!open) return;
    let current = true;
    setRecents({ state: 'loading' });
    void api
      .listRecentArchives({})
      .then((result) => current && setRecents(result.ok ? { state: 'ok', archives: result.value.archives } : { state: 'failed', message: result.error.message }))
      .catch(() => current && setRecents({ state: 'failed', message: 'The list could not be read.' }));
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    input.current?.focus();
    return () => {
      current = false;
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const openPath = async (target: string) => {
    setBusy(true);
    setProblem(null);
    const failure = await openArchiveAt(target);
    // On success the page remounts on the new archive; this panel goes with it.
    setBusy(false);
    if (failure !== null) {
      setProblem(failure);
      input.current?.focus();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (path.trim() === '') {
      setProblem('Type the full path of an archive folder, such as /home/me/archives/q3.');
      input.current?.focus();
      return;
    }
    void openPath(path);
  };

  const archives = recents.state === 'ok' ? recents.archives : [];
  return (
    <div
      className="open-archive"
      ref={root}
      onKeyDown={closePopoverOnEscape(open, () => setOpen(false), button)}
    >
      <button
        ref={button}
        type="button"
        className="button open-archive-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => (open ? setOpen(false) : show(null))}
      >
        <svg className="open-archive-icon" viewBox="0 0 20 20" aria-hidden="true">
          <path d="M2.5 5.2c0-.7.6-1.2 1.2-1.2h3.7l1.7 1.8h7.2c.7 0 1.2.5 1.2 1.2v8c0 .7-.5 1.2-1.2 1.2H3.7c-.7 0-1.2-.5-1.2-1.2z" />
        </svg>
        Open archive…
      </button>
      {open && (
        <div className="open-archive-panel" id={panelId} role="dialog" aria-label="Open archive">
          <form className="open-archive-form" onSubmit={submit} noValidate>
            <label className="field-label" htmlFor={inputId}>
              Archive folder
            </label>
            {hint && <p className="open-archive-hint">{hint}</p>}
            <div className="open-archive-row">
              <input
                ref={input}
                id={inputId}
                className="open-archive-input mono"
                type="text"
                value={path}
                placeholder="/path/to/archive-folder"
                spellCheck={false}
                autoComplete="off"
                aria-invalid={problem !== null}
                aria-describedby={problem ? problemId : undefined}
                onChange={(e) => {
                  setPath(e.target.value);
                  setProblem(null);
                }}
              />
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? 'Opening…' : 'Open'}
              </button>
            </div>
            {problem && (
              <p className="open-archive-problem" id={problemId} role="alert">
                <InertText text={problem} />
              </p>
            )}
          </form>
          <section className="open-archive-recents" aria-label="Recent archives">
            <h3 className="open-archive-heading">Recent</h3>
            {recents.state === 'loading' && <p className="open-archive-empty muted">Reading the list…</p>}
            {recents.state === 'failed' && (
              <p className="open-archive-empty error-text">
                <InertText text={recents.message} />
              </p>
            )}
            {recents.state === 'ok' && archives.length === 0 && <p className="open-archive-empty muted">No archive opened yet.</p>}
            {archives.length > 0 && (
              <ul className="open-archive-list">
                {archives.map((a) => {
                  const isCurrent = a.path === currentPath;
                  return (
                    <li key={a.path}>
                      <button
                        type="button"
                        className="open-archive-recent"
                        disabled={busy || a.missing || isCurrent}
                        title={a.missing ? `${a.path} is not there any more` : a.path}
                        onClick={() => {
                          setPath(a.path);
                          void openPath(a.path);
                        }}
                      >
                        <span className="open-archive-recent-name">
                          <InertText text={a.name} />
                        </span>
                        <span className="open-archive-recent-path mono">
                          <InertText text={a.path} />
                        </span>
                        {isCurrent && <span className="open-archive-tag">open</span>}
                        {a.missing && <span className="open-archive-tag open-archive-tag-missing">not found</span>}
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <p className="open-archive-footer muted">
            {canOpenDroppedFolders()
              ? 'Or drop an archive folder anywhere on the window, or use File › Open Archive….'
              : 'The path is on the machine running alog serve. Dropping a folder works in the desktop app only.'}
          </p>
        </div>
      )}
    </div>
  );
}
