// The period of a selection in the words the user chose it: the Records screen's "Through" box is
// inclusive of its whole unit ("2026-11-07" ends at the end of that day), which the query engine
// takes as an exclusive `to` (2026-11-08T00:00:00Z). Reports say "Through 2026-11-07", not the
// engine's bound; a bare `to` (the CLI's --to) is worded as what it is, "before".
import { parseInstant } from './query';

export interface Period {
  /** Inclusive, as typed. */
  from?: string | null;
  /** Exclusive bound given to the query engine. */
  to?: string | null;
  /** The inclusive end as the user typed it, when they chose one. */
  through?: string | null;
}

export function periodWords(p: Period): string {
  const from = p.from ?? null;
  const end = p.through ? `through ${p.through}` : p.to ? `before ${p.to}` : null;
  if (from && end) return `From ${from} ${end}`;
  if (from) return `From ${from} to the end of the archive`;
  if (end) return end.charAt(0).toUpperCase() + end.slice(1);
  return 'The whole archive (no time range)';
}

/** Whether any instant of the UTC day `date` (YYYY-MM-DD) falls in the period (`from` inclusive, `to` exclusive). */
export function dayInPeriod(date: string, p: Period): boolean {
  const start = parseInstant(date);
  if (!start) return false;
  const dayStart = start.micros;
  const dayEnd = dayStart + 86_400_000_000;
  const from = p.from ? parseInstant(p.from) : undefined;
  const to = p.to ? parseInstant(p.to) : undefined;
  return (!from || dayEnd > from.micros) && (!to || dayStart < to.micros);
}
