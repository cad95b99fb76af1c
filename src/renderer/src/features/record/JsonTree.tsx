import { createContext, useContext, useEffect, useState } from 'react';
import { formatPath } from '../../../../shared/record-schema';
import { copyText } from '../../ui/clipboard';
import { formatCount } from '../../ui/format';
import { InertText } from '../../ui/InertText';

/** Strings longer than this are cut in the tree until the reader asks for all of it. */
const LONG_STRING = 320;

interface ExpandCommand {
  /** Bumped by "Expand all" / "Collapse all"; every node re-reads `open`. */
  generation: number;
  open: boolean | null;
}

export interface TreeViolation {
  /** The violation's path as the schema check writes it (`errors[2].severity`; '' for the record). */
  path: string;
  message: string;
}

interface TreeContext {
  command: ExpandCommand;
  violations: readonly TreeViolation[];
  copy: ((text: string, what: string) => void) | null;
}

const Context = createContext<TreeContext>({ command: { generation: 0, open: null }, violations: [], copy: null });

/**
 * A parsed record as a collapsible tree of text. Keys and values come from the archive and are
 * rendered only as text, whatever they contain (`<script>`, bidi controls, `__proto__`).
 * Children are built only when their node is opened, so a large record costs nothing folded.
 * Schema violations are marked at their paths (and their ancestors start open); with `copyable`,
 * every row offers to copy its value and its path.
 */
export function JsonTree({
  value,
  label,
  violations = [],
  copyable = false,
}: {
  value: unknown;
  label: string;
  violations?: readonly TreeViolation[];
  copyable?: boolean;
}) {
  const [command, setCommand] = useState<ExpandCommand>({ generation: 0, open: null });
  const [copied, setCopied] = useState('');
  const copy = copyable
    ? (text: string, what: string) => {
        void copyText(text).then((ok) => setCopied(ok ? `Copied ${what}` : `Could not copy ${what}`));
      }
    : null;
  return (
    <div className="json-tree">
      <div className="tree-toolbar">
        <button type="button" className="button button-small" onClick={() => setCommand((c) => ({ generation: c.generation + 1, open: true }))}>
          Expand all
        </button>
        <button type="button" className="button button-small" onClick={() => setCommand((c) => ({ generation: c.generation + 1, open: false }))}>
          Collapse all
        </button>
        {copyable && (
          <span className="tree-copied" role="status">
            <InertText text={copied} />
          </span>
        )}
      </div>
      <Context.Provider value={{ command, violations, copy }}>
        <ul className="tree-root" aria-label={label}>
          <JsonNode name={null} value={value} path={[]} />
        </ul>
      </Context.Provider>
    </div>
  );
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

/** The violation path `p` is at or below the node at `node`. */
function within(p: string, node: string): boolean {
  if (node === '') return true;
  return p === node || (p.startsWith(node) && (p[node.length] === '.' || p[node.length] === '['));
}

function copyValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

function JsonNode({ name, value, path }: { name: string | number | null; value: unknown; path: (string | number)[] }) {
  const { command, violations, copy } = useContext(Context);
  const pathText = formatPath(path);
  const own = violations.filter((v) => v.path === pathText && (pathText !== '' || name === null));
  const inside = pathText === '' ? violations.length > 0 : violations.some((v) => within(v.path, pathText));
  const [open, setOpen] = useState(command.open ?? (path.length < 1 || inside));
  useEffect(() => {
    if (command.open !== null) setOpen(command.open);
  }, [command]);

  const key = <NodeKey name={name} />;
  const where = pathText === '' ? 'the record' : pathText;
  const actions = copy && (
    <span className="tree-actions">
      <button type="button" className="tree-action" aria-label={`Copy value of ${where}`} title="Copy value" onClick={() => copy(copyValueText(value), `the value of ${where}`)}>
        value
      </button>
      {pathText !== '' && (
        <button type="button" className="tree-action" aria-label={`Copy path ${pathText}`} title="Copy path" onClick={() => copy(pathText, `the path ${pathText}`)}>
          path
        </button>
      )}
    </span>
  );
  const marks = own.length > 0 && (
    <ul className="tree-violations">
      {own.map((v, i) => (
        <li key={i}>
          <InertText text={v.message} />
        </li>
      ))}
    </ul>
  );
  const rowClass = `tree-row${own.length > 0 ? ' has-violation' : inside ? ' contains-violation' : ''}`;

  if (!isContainer(value)) {
    return (
      <li className="tree-item">
        <div className={rowClass}>
          <span className="tree-leaf">
            {key}
            <JsonScalar value={value} />
          </span>
          {actions}
        </div>
        {marks}
      </li>
    );
  }
  // Object.entries lists own keys only, so a `__proto__` key is just another row.
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const summary = Array.isArray(value)
    ? `[ ${formatCount(entries.length)} ${entries.length === 1 ? 'item' : 'items'} ]`
    : `{ ${formatCount(entries.length)} ${entries.length === 1 ? 'key' : 'keys'} }`;
  if (entries.length === 0) {
    return (
      <li className="tree-item">
        <div className={rowClass}>
          <span className="tree-leaf">
            {key}
            <span className="json-empty">{Array.isArray(value) ? '[ ]' : '{ }'}</span>
          </span>
          {actions}
        </div>
        {marks}
      </li>
    );
  }
  return (
    <li className="tree-item">
      <div className={rowClass}>
        <button type="button" className="tree-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <span className="tree-caret" aria-hidden="true" />
          {key}
          <span className="json-summary">{summary}</span>
          {inside && own.length === 0 && <span className="tree-violation-dot" title="contains schema violations" aria-label="contains schema violations" />}
        </button>
        {actions}
      </div>
      {marks}
      {open && (
        <ul className="tree-children">
          {entries.map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} path={[...path, k]} />
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
