// Records that break a consistency rule, sealed as they are (`alog gen --plant-warnings`): the seal
// is valid, so a verifier must raise the warning and nothing else. Each kind is planted once, in the
// newest day that has records, on a record that breaks that rule and no other.
import type { WarningKind } from '../../../shared/findings';
import type { ActivationRecord } from '../../../shared/record-schema';
import { INCONSISTENT_RECORD_RULES } from '../verify/consistency-rules';
import { formatMicros } from './record';

/** What can be planted: the two timestamp kinds, and each rule of `inconsistent_record` by its id. */
export const PLANTABLE_WARNINGS: readonly string[] = ['timestamp_out_of_order', 'wrong_day_file', ...INCONSISTENT_RECORD_RULES.map((r) => r.id)];

export interface PlantedWarning {
  kind: WarningKind;
  /** The rule, for `inconsistent_record`. */
  rule?: string;
  file: string;
  line: number;
}

type Plant = (record: ActivationRecord, ctx: { index: number; count: number; instants: Float64Array; dayStart: number }) => boolean;

/** A step back of a minute: far beyond the default tolerance of 5 s. */
const STEP_BACK_MICROS = 60_000_000;

/** How each kind is planted: whether the record fits (then it is changed), else the next one is tried. */
const PLANTS: Record<string, Plant> = {
  timestamp_out_of_order: (r, { index, instants, dayStart }) => {
    const earlier = index > 0 ? instants[index - 1]! - STEP_BACK_MICROS : -Infinity;
    if (earlier < dayStart) return false;
    r.timestamp = formatMicros(earlier);
    return true;
  },
  wrong_day_file: (r, { index, count, dayStart }) => {
    // The day's last record, moved to the first instant of the next day: no record after it in
    // this file, none earlier in the next, so it is out of its day and nothing else.
    if (index !== count - 1) return false;
    r.timestamp = formatMicros(dayStart + 86_400_000_000);
    return true;
  },
  published_gate_blocked: (r) => {
    if (r.platform_publishing.status !== 'published' || !r.brand_voice_analysis) return false;
    r.brand_voice_analysis.gate_passed = false;
    return true;
  },
  success_with_failed_status: (r) => {
    if (r.platform_publishing.status !== 'failed' || !r.quality_assessment) return false;
    r.quality_assessment.success = true;
    return true;
  },
  total_below_stages: (r) => {
    const p = r.performance_metrics;
    const sum = p ? Object.values(p.stages).reduce<number>((n, v) => n + (typeof v === 'number' ? v : 0), 0) : 0;
    if (!p || sum < 10) return false;
    p.total_ms = Math.round(sum / 2);
    return true;
  },
  mock_cost: (r) => {
    const ai = r.ai_enrichment;
    if (!ai) return false;
    ai.provider = 'mock';
    ai.model = 'mock-llm-1';
    ai.cost_usd = 0.0042;
    return true;
  },
  attempts_not_sequential: (r) => {
    const attempts = r.platform_publishing.attempts;
    if (attempts.length === 0) return false;
    attempts[attempts.length - 1]!.attempt += 1;
    return true;
  },
  published_without_attempt: (r) => {
    if (r.platform_publishing.status !== 'published' || r.brand_voice_analysis?.gate_passed !== true) return false;
    r.platform_publishing.attempts = [];
    return true;
  },
};

/** The kinds to plant, checked; an unknown name is a RangeError naming the known ones. */
export function checkPlantable(kinds: readonly string[]): void {
  for (const k of kinds) {
    if (!Object.hasOwn(PLANTS, k)) throw new RangeError(`cannot plant "${k}": the kinds are ${PLANTABLE_WARNINGS.join(', ')}`);
  }
}

/** Plants the pending kinds into one day's records as they are generated, one kind per record. */
export class WarningPlanter {
  readonly #pending: string[];
  readonly planted: PlantedWarning[] = [];

  constructor(kinds: readonly string[]) {
    checkPlantable(kinds);
    this.#pending = [...new Set(kinds)];
  }

  get pending(): readonly string[] {
    return this.#pending;
  }

  /** Changes `record` (the day's `index`-th of `count`, to be written at `line`) if a pending kind fits it. */
  plant(record: ActivationRecord, file: string, line: number, ctx: { index: number; count: number; instants: Float64Array; dayStart: number }): void {
    // The last record is kept for wrong_day_file while that is pending; the first for nothing in particular.
    const order = this.#pending.includes('wrong_day_file') && ctx.index === ctx.count - 1 ? ['wrong_day_file'] : this.#pending.filter((k) => k !== 'wrong_day_file');
    for (const kind of order) {
      if (!PLANTS[kind]!(record, ctx)) continue;
      this.#pending.splice(this.#pending.indexOf(kind), 1);
      const isTimestamp = kind === 'timestamp_out_of_order' || kind === 'wrong_day_file';
      this.planted.push(isTimestamp ? { kind: kind as WarningKind, file, line } : { kind: 'inconsistent_record', rule: kind, file, line });
      return;
    }
  }
}
