import { Fragment } from 'react';
import { InertText } from '../../ui/InertText';
import { diffWords } from './text-diff';

/** A dotted record path that may wrap after its dots, never inside a name. */
export function PathText({ path }: { path: string }) {
  const parts = path.split(/(?<=[.:\]])/);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          <InertText text={p} />
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}

/** One side of a change with the changed words marked (`del` before, `ins` after) and the rest plain. */
export function ChangedText({ before, after, side }: { before: string; after: string; side: 'before' | 'after' }) {
  const parts = diffWords(before, after)[side];
  const Mark = side === 'before' ? 'del' : 'ins';
  return (
    <>
      {parts.map((p, i) =>
        p.changed && p.text.trim() !== '' ? (
          <Mark key={i} className={`export-mark-${side}`}>
            <InertText text={p.text} />
          </Mark>
        ) : (
          <InertText key={i} text={p.text} />
        ),
      )}
    </>
  );
}
