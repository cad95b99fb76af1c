import { useEffect, useId, useRef, useState } from 'react';
import { closePopoverOnEscape } from '../../ui/popover';

export interface ChooserColumn {
  id: string;
  label: string;
  visible: boolean;
}

/**
 * "Columns": a popover of checkboxes, one per column in display order (drag the headers to
 * reorder, drag their edges to resize). Escape or a click elsewhere closes it.
 */
export function ColumnChooser({
  columns,
  onToggle,
  onReset,
  onOpen,
}: {
  columns: readonly ChooserColumn[];
  onToggle: (id: string, visible: boolean) => void;
  onReset: () => void;
  /** Called as it opens, so the list is read fresh. */
  onOpen: () => void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    root.current?.querySelector<HTMLInputElement>('input')?.focus();
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const shown = columns.filter((c) => c.visible).length;
  return (
    <div
      className="column-chooser"
      ref={root}
      onKeyDown={closePopoverOnEscape(open, () => setOpen(false), button)}
    >
      <button
        ref={button}
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          if (!open) onOpen();
          setOpen((o) => !o);
        }}
      >
        Columns
      </button>
      {open && (
        <div className="chooser-panel" id={panelId} role="group" aria-label="Columns shown">
          <ul className="chooser-list">
            {columns.map((c) => (
              <li key={c.id}>
                <label className="chooser-item">
                  <input
                    type="checkbox"
                    checked={c.visible}
                    // The last column stays: a grid without columns shows nothing to click.
                    disabled={c.visible && shown === 1}
                    onChange={(e) => onToggle(c.id, e.target.checked)}
                  />
                  <span>{c.label}</span>
                  <span className="chooser-path mono">{c.id === 'integrity' ? '' : c.id}</span>
                </label>
              </li>
            ))}
          </ul>
          <div className="chooser-footer">
            <span className="muted">Drag headers to reorder or resize.</span>
            <button type="button" className="button button-small" onClick={onReset}>
              Reset
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
