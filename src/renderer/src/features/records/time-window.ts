import { formatTimestampMicros, parseInstant } from '../../../../shared/query';

export interface TimeWindow {
  /** Inclusive ISO instant, as the user typed it. */
  from: string;
  /** The last instant wanted, as typed: a date or a partial time stands for its whole unit. */
  through: string;
}

/**
 * The time window as the query engine takes it (from inclusive, to exclusive), or the name of the
 * box that does not hold an instant. `through` is inclusive of its whole unit: "2026-11-19" ends
 * at the end of that day, "2026-11-19T08" at 08:59:59.999999.
 */
export function windowBounds(w: TimeWindow): { from?: string; to?: string } | { invalid: 'from' | 'through' } {
  const from = w.from.trim();
  const through = w.through.trim();
  const out: { from?: string; to?: string } = {};
  if (from !== '') {
    if (!parseInstant(from)) return { invalid: 'from' };
    out.from = from;
  }
  if (through !== '') {
    const t = parseInstant(through);
    if (!t) return { invalid: 'through' };
    out.to = formatTimestampMicros(t.micros + t.unitMicros);
  }
  return out;
}
