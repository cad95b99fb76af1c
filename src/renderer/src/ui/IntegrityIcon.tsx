import type { RowIntegrity } from '../../../shared/record-search';

const LABEL: Record<RowIntegrity, { text: string; title: string }> = {
  valid: { text: 'valid', title: 'Valid: the record hashes to its seal and links into the chain; no finding concerns it.' },
  invalid: { text: 'invalid', title: 'Invalid: a verification finding concerns this record (altered, chain break, schema, duplicate id).' },
  unsealed: { text: 'unsealed', title: 'Unsealed: the record carries no seal, so it cannot be verified.' },
};

/** A record's seal state as an icon with its word beside it for screen readers (and on hover). */
export function IntegrityIcon({ state, withText = false }: { state: RowIntegrity; withText?: boolean }) {
  const { text, title } = LABEL[state];
  return (
    <span className={`integrity integrity-${state}`} title={title}>
      <svg className="integrity-icon" viewBox="0 0 16 16" aria-hidden="true">
        {state === 'valid' && (
          <>
            <circle cx="8" cy="8" r="6.25" />
            <path className="integrity-mark" d="m5.2 8.2 1.9 1.9 3.8-4" />
          </>
        )}
        {state === 'invalid' && (
          <>
            <circle cx="8" cy="8" r="6.25" />
            <path className="integrity-mark" d="m5.6 5.6 4.8 4.8m0-4.8-4.8 4.8" />
          </>
        )}
        {state === 'unsealed' && <circle className="integrity-open" cx="8" cy="8" r="5.5" />}
      </svg>
      <span className={withText ? 'integrity-text' : 'visually-hidden'}>{text}</span>
    </span>
  );
}
