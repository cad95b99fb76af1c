import { InertText } from '../../ui/InertText';

/** Notes the services attach (a line's oddities, why part of a seal cannot be shown), as inert text. */
export function Notes({ notes, className }: { notes: readonly string[]; className: string }) {
  if (notes.length === 0) return null;
  return (
    <ul className={className}>
      {notes.map((n) => (
        <li key={n}>
          <InertText text={n} />
        </li>
      ))}
    </ul>
  );
}
