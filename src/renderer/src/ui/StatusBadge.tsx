import type { ReactNode } from 'react';
import type { FileStatus } from '../../../shared/verification-report';

export type BadgeTone = 'good' | 'bad' | 'warn' | 'neutral' | 'info';

export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const FILE_STATUS: Record<FileStatus | 'not_verified', { tone: BadgeTone; label: string; title: string }> = {
  valid: { tone: 'good', label: 'valid', title: 'Every record, chain link and the signed digest check out.' },
  invalid: { tone: 'bad', label: 'invalid', title: 'Verification found problems in this file; see Integrity.' },
  unsealed: { tone: 'warn', label: 'unsealed', title: 'The file carries no integrity seal, so it cannot be verified.' },
  unreadable: { tone: 'bad', label: 'unreadable', title: 'The file could not be read.' },
  not_verified: { tone: 'neutral', label: 'not yet verified', title: 'Run verification on the Integrity tab.' },
};

export function FileStatusBadge({ status }: { status: FileStatus | 'not_verified' }) {
  const s = FILE_STATUS[status];
  return (
    <Badge tone={s.tone} title={s.title}>
      <span className="badge-dot" aria-hidden="true" />
      {s.label}
    </Badge>
  );
}
