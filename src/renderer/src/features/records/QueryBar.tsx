import { forwardRef, useId, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';
import type { FieldInfo } from '../../../../shared/record-search';
import { InertText } from '../../ui/InertText';
import { applySuggestion, completeAt, type Completion } from './completion';

export interface QuerySyntaxProblem {
  message: string;
  /** 0-based character offset in `query`. */
  position: number;
  query: string;
}

export interface QueryBarHandle {
  focus(): void;
}

/** Characters of the query shown around a syntax error's position. */
const ERROR_WINDOW = 56;

/**
 * The query input: an ARIA combobox that completes field names (and a few-valued field's values
 * after its colon) from the keyboard, and shows a syntax error under the query with a caret at
 * its position. Enter runs the query unless a suggestion is being chosen; Ctrl/Cmd+Enter always runs.
 */
export const QueryBar = forwardRef<
  QueryBarHandle,
  {
    value: string;
    onChange: (value: string) => void;
    onRun: () => void;
    fields: readonly FieldInfo[];
    problem: QuerySyntaxProblem | null;
  }
>(function QueryBar({ value, onChange, onRun, fields, problem }, ref) {
  const input = useRef<HTMLInputElement>(null);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();
  const errorId = useId();
  useImperativeHandle(ref, () => ({
    focus: () => {
      input.current?.focus();
      input.current?.select();
    },
  }));

  const suggest = (text: string, caret: number) => {
    setCompletion(completeAt(text, caret, fields) ?? null);
    setActive(0);
  };

  const accept = (index: number) => {
    if (!completion) return;
    const item = completion.items[index];
    if (!item) return;
    const next = applySuggestion(value, completion, item);
    onChange(next.query);
    setCompletion(null);
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(next.caret, next.caret);
      suggest(next.query, next.caret);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const open = completion !== null && completion.items.length > 0;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      setCompletion(null);
      onRun();
      return;
    }
    if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      const n = completion.items.length;
      setActive((a) => (a + (event.key === 'ArrowDown' ? 1 : n - 1)) % n);
      return;
    }
    if (open && (event.key === 'Enter' || event.key === 'Tab')) {
      event.preventDefault();
      accept(active);
      return;
    }
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      setCompletion(null);
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      onRun();
    }
  };

  const showProblem = problem !== null && problem.query === value;
  const open = completion !== null && completion.items.length > 0;
  return (
    <div className="query-bar">
      <input
        ref={input}
        className="query-input mono"
        type="text"
        aria-label="Query"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-invalid={showProblem}
        aria-describedby={showProblem ? errorId : undefined}
        placeholder="status:failed AND provider:openai   (press / to search)"
        spellCheck={false}
        autoComplete="off"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          suggest(e.target.value, e.target.selectionStart ?? e.target.value.length);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setCompletion(null)}
      />
      <ul id={listId} role="listbox" aria-label="Field suggestions" className="completion-list" hidden={!open}>
        {open &&
          completion.items.map((item, i) => (
            <li
              key={item.label}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'completion-item is-active' : 'completion-item'}
              // Keep the focus in the input.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => accept(i)}
            >
              <span className="completion-label mono">
                <InertText text={item.label} />
              </span>
              <span className="completion-detail">
                <InertText text={item.detail} />
              </span>
            </li>
          ))}
      </ul>
      {showProblem && <SyntaxProblem id={errorId} problem={problem} />}
    </div>
  );
});

function SyntaxProblem({ id, problem }: { id: string; problem: QuerySyntaxProblem }) {
  const { query, position } = problem;
  const start = Math.max(0, Math.min(position - ERROR_WINDOW / 2, query.length - ERROR_WINDOW));
  const shown = query.slice(start, start + ERROR_WINDOW);
  const lead = start > 0 ? '…' : '';
  const caretAt = lead.length + Math.min(position, query.length) - start;
  return (
    <div className="query-problem" id={id} role="alert">
      <p className="query-problem-message">
        <span className="query-problem-label">Syntax error at character {position + 1}:</span> <InertText text={problem.message} />
      </p>
      <pre className="query-problem-pointer" aria-hidden="true">
        {lead}
        <InertText text={shown} />
        {start + ERROR_WINDOW < query.length ? '…' : ''}
        {'\n'}
        {' '.repeat(caretAt)}^
      </pre>
    </div>
  );
}
