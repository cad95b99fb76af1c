import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabSpec<T extends string> {
  id: T;
  label: string;
  /** Small text after the label (a count, a status). */
  hint?: ReactNode;
}

/**
 * WAI-ARIA tabs (automatic activation): Tab reaches the selected tab, arrow keys and Home/End move
 * between tabs. https://www.w3.org/WAI/ARIA/apg/patterns/tabs/
 */
export function TabList<T extends string>({
  tabs,
  selected,
  onSelect,
  label,
}: {
  tabs: readonly TabSpec<T>[];
  selected: T;
  onSelect: (id: T) => void;
  label: string;
}) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === selected);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length]!;
    onSelect(next.id);
    refs.current.get(next.id)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          ref={(el) => {
            if (el) refs.current.set(tab.id, el);
            else refs.current.delete(tab.id);
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={tab.id === selected}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === selected ? 0 : -1}
          // The name stays the label alone; the hint (a count) is read as a description.
          aria-label={tab.label}
          aria-describedby={tab.hint !== undefined ? `tab-${tab.id}-hint` : undefined}
          className="tab"
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
          {tab.hint !== undefined && (
            <span className="tab-hint" id={`tab-${tab.id}-hint`}>
              {tab.hint}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

/**
 * A tab's content, built when the tab is shown. With `keepMounted` it stays built (hidden) once
 * shown, so leaving the tab keeps its state (the Records query, grid position and open record).
 */
export function TabPanel({ id, selected, keepMounted = false, children }: { id: string; selected: boolean; keepMounted?: boolean; children: ReactNode }) {
  const [visited, setVisited] = useState(selected);
  if (selected && !visited) setVisited(true);
  return (
    <div className="tab-panel" role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} hidden={!selected}>
      {(selected || (keepMounted && visited)) && children}
    </div>
  );
}
