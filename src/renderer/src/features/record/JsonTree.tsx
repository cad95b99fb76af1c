import { createContext, useContext, useEffect, useState } from 'react';
import { formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';

/** Strings longer than this are cut in the tree until the reader asks for all of it. */
const LONG_STRING = 320;

interface ExpandCommand {
  /** Bumped by "Expand all" / "Collapse all"; every node re-reads `open`. */
  generation: number;
  open: boolean | null;
}

const ExpandContext = createContext<ExpandCommand>({ generation: 0, open: null });

/**
 * A parsed record as a collapsible tree of text. Keys and values come from the archive and are
 * rendered only as text, whatever they contain (`<script>`, bidi controls, `__proto__`).
 * Children are built only when their node is opened, so a large record costs nothing folded.
 */
export function JsonTree({ value, label }: { value: unknown; label: string }) {
  const [command, setCommand] = useState<ExpandCommand>({ generation: 0, open: null });
  return (
    <div className="json-tree">
      <div className="tree-toolbar">
        <button type="button" className="button button-small" onClick={() => setCommand((c) => ({ generation: c.generation + 1, open: true }))}>
          Expand all
        </button>
        <button type="button" className="button button-small" onClick={() => setCommand((c) => ({ generation: c.generation + 1, open: false }))}>
          Collapse all
        </button>
      </div>
      <ExpandContext.Provider value={command}>
        <ul className="tree-root" aria-label={label}>
          <JsonNode name={null} value={value} depth={0} />
        </ul>
      </ExpandContext.Provider>
    </div>
  );
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

function JsonNode({ name, value, depth }: { name: string | number | null; value: unknown; depth: number }) {
  const command = useContext(ExpandContext);
  const [open, setOpen] = useState(command.open ?? depth < 1);
  useEffect(() => {
    if (command.open !== null) setOpen(command.open);
  }, [command]);

  const key = <NodeKey name={name} />;
  if (!isContainer(value)) {
    return (
      <li className="tree-item">
        <span className="tree-leaf">
          {key}
          <JsonScalar value={value} />
        </span>
      </li>
    );
  }
  // Object.entries lists own keys only, so a `__proto__` key is just another row.
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const summary = Array.isArray(value) ? `[ ${formatCount(entries.length)} ${entries.length === 1 ? 'item' : 'items'} ]` : `{ ${formatCount(entries.length)} ${entries.length === 1 ? 'key' : 'keys'} }`;
  if (entries.length === 0) {
    return (
      <li className="tree-item">
        <span className="tree-leaf">
          {key}
          <span className="json-empty">{Array.isArray(value) ? '[ ]' : '{ }'}</span>
        </span>
      </li>
    );
  }
  return (
    <li className="tree-item">
      <button type="button" className="tree-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className="tree-caret" aria-hidden="true" />
        {key}
        <span className="json-summary">{summary}</span>
      </button>
      {open && (
        <ul className="tree-children">
          {entries.map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

function NodeKey({ name }: { name: string | number | null }) {
  if (name === null) return <span className="json-key json-root">record</span>;
  if (typeof name === 'number') return <span className="json-index">{name}</span>;
  return (
    <span className="json-key">
      <InertText text={name} />
    </span>
  );
}

function JsonScalar({ value }: { value: unknown }) {
  const [full, setFull] = useState(false);
  if (typeof value === 'string') {
    const cut = !full && value.length > LONG_STRING;
    return (
      <span className="json-string">
        <span className="json-quote">&quot;</span>
        <InertText text={cut ? value.slice(0, LONG_STRING) : value} />
        {cut ? '…' : ''}
        <span className="json-quote">&quot;</span>
        {cut && (
          <button type="button" className="link-button inline-more" onClick={() => setFull(true)}>
            show all {formatCount(value.length)} characters
          </button>
        )}
      </span>
    );
  }
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  if (value === null) return <span className="json-null">null</span>;
  return <span className="json-null">{typeof value}</span>;
}
