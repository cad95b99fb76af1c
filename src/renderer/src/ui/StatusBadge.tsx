import type { ReactNode } from 'react';
import type { FileVerdict } from '../../../shared/verification-report';
import { FILE_LOOK } from './integrity-words';

export type BadgeTone = 'good' | 'bad' | 'warn' | 'neutral' | 'info';

export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A day file's verdict: valid, key not trusted, invalid, unsealed, unreadable, or not verified yet. */
export function FileVerdictBadge({ verdict }: { verdict: FileVerdict | 'not_verified' }) {
  const look = FILE_LOOK[verdict];
  return (
    <Badge tone={look.tone} title={look.title}>
      <span className="badge-dot" aria-hidden="true" />
      {look.word}
    </Badge>
  );
}
