import type { IntegrityClass } from '../../../shared/integrity-class';
import { RECORD_LOOK } from './integrity-words';

/**
 * A record's integrity class as an icon with its word beside it for screen readers (and on hover).
 * Each class has its own shape too, so colour is never the only difference: a tick (verified), a
 * key (intact, key not trusted), a cross (invalid), a dashed ring (unsealed), a dash (not known).
 */
export function IntegrityIcon({ state, withText = false }: { state: IntegrityClass; withText?: boolean }) {
  const { word, title } = RECORD_LOOK[state];
  return (
    <span className={`integrity integrity-${state}`} title={title} data-integrity={state}>
      <svg className="integrity-icon" viewBox="0 0 16 16" aria-hidden="true">
        {state === 'verified' && (
          <>
            <circle cx="8" cy="8" r="6.25" />
            <path className="integrity-mark" d="m5.2 8.2 1.9 1.9 3.8-4" />
          </>
        )}
        {state === 'untrusted_key' && (
          <>
            <circle cx="8" cy="8" r="6.25" />
            <circle className="integrity-key" cx="6.4" cy="8" r="1.6" />
            <path className="integrity-mark" d="M8 8h3.2m-1 0v1.5" />
          </>
        )}
        {state === 'invalid' && (
          <>
            <circle cx="8" cy="8" r="6.25" />
            <path className="integrity-mark" d="m5.6 5.6 4.8 4.8m0-4.8-4.8 4.8" />
          </>
        )}
        {state === 'unsealed' && <circle className="integrity-open" cx="8" cy="8" r="5.5" />}
        {state === 'unknown' && (
          <>
            <circle cx="8" cy="8" r="6.25" />
            <path className="integrity-mark" d="M5.5 8h5" />
          </>
        )}
      </svg>
      <span className={withText ? 'integrity-text' : 'visually-hidden'}>{word}</span>
    </span>
  );
}
