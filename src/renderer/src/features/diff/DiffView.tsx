import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { IpcResult } from '../../../../shared/ipc-contract';
import type { RecordDetail } from '../../../../shared/record-detail';
import { api } from '../../api';
import { formatCount } from '../../ui/format';
import { InertText, inertTitle } from '../../ui/InertText';
import { buildDiffTree, recordDelta, splitChange, type DiffNode } from './diff-model';

export interface DiffSide {
  file: string;
  line: number;
}

/** Characters of a long string kept on each side of a change. */
const CONTEXT = 48;
/** Unchanged strings longer than this are cut. */
const LONG = 160;
/** Changed strings show this much of themselves. */
const CHANGED_SHOWN = 640;

/**
 * Two records side by side, every field, with what changed highlighted: jsondiffpatch computes the
 * delta, these components render it as text. A switch hides the fields that differ between any two
 * attempts by nature (ids, times, trace and session ids, hashes, the seal).
 */
export function DiffView({ left, right, onClose }: { left: DiffSide; right: DiffSide; onClose: () => void }) {
  const [records, setRecords] = useState<[IpcResult<RecordDetail> | undefined, IpcResult<RecordDetail> | undefined]>([undefined, undefined]);
  const [hideVolatile, setHideVolatile] = useState(true);
  const [onlyChanges, setOnlyChanges] = useState(false);
  const [open, setOpen] = useState<Map<string, boolean>>(new Map());
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    setRecords([undefined, undefined]);
    void Promise.all([api.getRecord({ ...left, seal: false }), api.getRecord({ ...right, seal: false })]).then((r) => current && setRecords(r));
    return () => {
      current = false;
    };
  }, [left.file, left.line, right.file, right.line]);

  useEffect(() => heading.current?.focus(), []);

  const [a, b] = records;
  const values = a?.ok && b?.ok && a.value.parsed.ok && b.value.parsed.ok ? ([a.value.parsed.value, b.value.parsed.value] as const) : undefined;
  const delta = useMemo(() => (values ? recordDelta(values[0], values[1]) : undefined), [values?.[0], values?.[1]]);
  const tree = useMemo(() => (values ? buildDiffTree(values[0], values[1], delta, { hideVolatile }) : undefined), [values?.[0], values?.[1], delta, hideVolatile]);

  const failure = [a, b].find((r) => r !== undefined && (!r.ok || !r.value.parsed.ok));
  const isOpen = (n: DiffNode) => open.get(n.path) ?? (n.key === null || n.changes > 0);
  const rows = tree ? flatten(tree, 0, isOpen, onlyChanges) : [];

  return (
    <section className="diff-view" aria-labelledby="diff-title">
      <div className="diff-header">
        <h2 id="diff-title" ref={heading} tabIndex={-1}>
          Compare records
        </h2>
        <div className="diff-controls">
          <Switch checked={hideVolatile} onChange={setHideVolatile} label="Hide volatile fields" hint="activation_id, timestamp, integrity, trace and session ids, *_at times, hashes" />
          <Switch checked={onlyChanges} onChange={setOnlyChanges} label="Only differences" />
          <span className="diff-summary" role="status">
            {tree ? (tree.changes === 0 ? 'No differences' : `${formatCount(tree.changes)} ${tree.changes === 1 ? 'field differs' : 'fields differ'}`) : ''}
          </span>
          <button type="button" className="button button-small" onClick={onClose} aria-label="Close comparison">
            Close <kbd>Esc</kbd>
          </button>
        </div>
      </div>
      {failure && (
        <p className="error-text diff-error" role="alert">
          <InertText text={!failure.ok ? failure.error.message : !failure.value.parsed.ok ? `${failure.value.file}:${failure.value.line} is not a JSON record: ${failure.value.parsed.error}` : ''} />
        </p>
      )}
      {!tree && !failure && <p className="loading">Reading both records…</p>}
      {tree && (
        <div className="diff-scroll">
          <table className="diff-table">
            <colgroup>
              <col className="diff-col-field" />
              <col className="diff-col-side" />
              <col className="diff-col-side" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">
                  <SideTitle record={a?.ok ? a.value : undefined} side="Left" />
                </th>
                <th scope="col">
                  <SideTitle record={b?.ok ? b.value : undefined} side="Right" />
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ node, depth }) => (
                <DiffRow
                  key={node.path || '(record)'}
                  node={node}
                  depth={depth}
                  open={isOpen(node)}
                  onToggle={() => setOpen((m) => new Map(m).set(node.path, !isOpen(node)))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function flatten(node: DiffNode, depth: number, isOpen: (n: DiffNode) => boolean, onlyChanges: boolean): { node: DiffNode; depth: number }[] {
  const out: { node: DiffNode; depth: number }[] = [];
  // The record itself is the table; its members are the first level.
  const visit = (n: DiffNode, d: number) => {
    if (onlyChanges && n.status === 'same') return;
    out.push({ node: n, depth: d });
    if (n.children && isOpen(n)) for (const c of n.children) visit(c, d + 1);
  };
  for (const c of node.children ?? []) visit(c, depth);
  return out;
}

function SideTitle({ record, side }: { record: RecordDetail | undefined; side: string }) {
  const value = record?.parsed.ok ? record.parsed.value : undefined;
  const field = (k: string) => (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, k) ? String((value as Record<string, unknown>)[k]) : '');
  return (
    <span className="diff-side-title">
      <span className="visually-hidden">{side}: </span>
      <span className="mono diff-side-id">
        <InertText text={field('activation_id') || '(no activation_id)'} />
      </span>
      <span className="diff-side-meta mono">
        <InertText text={`${field('timestamp').replace('T', ' ').replace(/Z$/, '')}  ${record ? `${record.file}:${record.line}` : ''}`} />
      </span>
    </span>
  );
}

const STATUS_WORD = { same: '', changed: 'changed', added: 'only on the right', removed: 'only on the left' } as const;
const STATUS_MARK = { same: '', changed: '~', added: '+', removed: '−' } as const;

function DiffRow({ node, depth, open, onToggle }: { node: DiffNode; depth: number; open: boolean; onToggle: () => void }) {
  const container = node.children !== undefined;
  const name = typeof node.key === 'number' ? `[${node.key}]` : String(node.key);
  const leafChange = node.status === 'changed' && !container;
  return (
    <tr className={`diff-row diff-${node.status} ${container ? 'is-container' : 'is-leaf'}`}>
      <th scope="row" className="diff-field" title={inertTitle(node.path)}>
        <span className="diff-indent" style={{ width: depth * 14 }} />
        <span className="diff-mark" aria-hidden="true">
          {container && node.status === 'changed' ? '' : STATUS_MARK[node.status]}
        </span>
        {container ? (
          <button type="button" className="diff-toggle" aria-expanded={open} onClick={onToggle}>
            <span className="tree-caret" aria-hidden="true" />
            <span className={typeof node.key === 'number' ? 'json-index' : 'json-key'}>
              <InertText text={name} />
            </span>
          </button>
        ) : (
          <span className={`diff-leaf-name ${typeof node.key === 'number' ? 'json-index' : 'json-key'}`}>
            <InertText text={name} />
          </span>
        )}
        {node.status !== 'same' && <span className="visually-hidden"> ({STATUS_WORD[node.status]})</span>}
        {container && node.changes > 0 && <span className="diff-count">{formatCount(node.changes)}</span>}
      </th>
      <td className="diff-cell diff-left">
        {node.hasLeft ? leafChange ? <ChangedValue value={node.left} other={node.right} side="left" /> : <Value value={node.left} open={open && container} /> : <Absent />}
      </td>
      <td className="diff-cell diff-right">
        {node.hasRight ? leafChange ? <ChangedValue value={node.right} other={node.left} side="right" /> : <Value value={node.right} open={open && container} /> : <Absent />}
      </td>
    </tr>
  );
}

function Absent() {
  return <span className="diff-absent">absent</span>;
}

function Value({ value, open }: { value: unknown; open: boolean }) {
  if (value !== null && typeof value === 'object') {
    const n = Array.isArray(value) ? value.length : Object.keys(value).length;
    const summary = Array.isArray(value) ? `[ ${formatCount(n)} ${n === 1 ? 'item' : 'items'} ]` : `{ ${formatCount(n)} ${n === 1 ? 'key' : 'keys'} }`;
    return <span className="json-summary">{open ? '' : summary}</span>;
  }
  if (typeof value === 'string') {
    const cut = value.length > LONG;
    return <Quoted>{cut ? `${value.slice(0, LONG)}…` : value}</Quoted>;
  }
  return <Scalar value={value} />;
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'object') return <span className="json-summary mono">{compactJson(value)}</span>;
  return <span className="json-null">{typeof value}</span>;
}

function Quoted({ children }: { children: ReactNode }) {
  return (
    <span className="json-string">
      <span className="json-quote">&quot;</span>
      {typeof children === 'string' ? <InertText text={children} /> : children}
      <span className="json-quote">&quot;</span>
    </span>
  );
}

/** A changed value, with the differing middle of two strings marked. */
function ChangedValue({ value, other, side }: { value: unknown; other: unknown; side: 'left' | 'right' }) {
  if (typeof value !== 'string' || typeof other !== 'string') return <Scalar value={value} />;
  const parts = side === 'left' ? splitChange(value, other) : splitChange(other, value);
  const middle = side === 'left' ? parts.left : parts.right;
  // Mark the changed part only when the two share enough around it; a wholly different value is
  // already marked by its cell.
  const shared = parts.prefix.length + parts.suffix.length;
  if (shared < 3 || middle.length > 0.8 * value.length) return <Quoted>{value.length > CHANGED_SHOWN ? `${value.slice(0, CHANGED_SHOWN)}…` : value}</Quoted>;
  const prefix = parts.prefix.length > CONTEXT ? `…${parts.prefix.slice(-CONTEXT)}` : parts.prefix;
  const suffix = parts.suffix.length > CONTEXT ? `${parts.suffix.slice(0, CONTEXT)}…` : parts.suffix;
  return (
    <Quoted>
      <InertText text={prefix} />
      {middle !== '' && (
        <mark className={`diff-inline diff-inline-${side}`}>
          <InertText text={middle} />
        </mark>
      )}
      <InertText text={suffix} />
    </Quoted>
  );
}

function compactJson(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > LONG ? `${text.slice(0, LONG)}…` : text;
}

function Switch({ checked, onChange, label, hint }: { checked: boolean; onChange: (v: boolean) => void; label: string; hint?: string }) {
  return (
    <button type="button" role="switch" aria-checked={checked} className="switch" onClick={() => onChange(!checked)} title={hint}>
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      {label}
    </button>
  );
}
