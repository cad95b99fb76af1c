// The rules of `inconsistent_record` (completeness-erasure.md, section 2): a record that contradicts
// itself. The producer sealed it as written, so the seal is valid; what it says cannot be right.
// Each rule is one row: its id (in the warning's `rule`), the predicate over the record's facts
// (record-facts.ts), and the message. A fact the record lacks (absent, or of the wrong type: a
// schema question) never triggers a rule. docs/FORMAT.md lists the same table; each rule has a test.
import { RecordFacts, STAGE_NAMES, Status } from './record-facts';

export interface ConsistencyRule {
  id: string;
  /** What the rule checks, in a few words (docs and the UI's legend). */
  summary: string;
  /** True when the record breaks the rule. */
  breaks(f: RecordFacts): boolean;
  /** The warning's message for a record that breaks it. */
  message(f: RecordFacts): string;
}

/** Stage times are rounded by producers: a total this little below their sum is rounding, not a contradiction. */
export const TOTAL_MS_TOLERANCE = 1;

export const INCONSISTENT_RECORD_RULES: readonly ConsistencyRule[] = [
  {
    id: 'published_gate_blocked',
    summary: 'published although brand_voice_analysis.gate_passed is false',
    breaks: (f) => f.status === Status.Published && f.gatePassed === false,
    message: () => 'published although brand_voice_analysis.gate_passed is false: the quality gate blocked this activation',
  },
  {
    id: 'success_with_failed_status',
    summary: 'quality_assessment.success is true while the publishing status is failed or blocked',
    breaks: (f) => f.success === true && (f.status === Status.Failed || f.status === Status.Blocked),
    message: (f) => `quality_assessment.success is true but platform_publishing.status is ${f.status === Status.Failed ? 'failed' : 'blocked'}`,
  },
  {
    id: 'total_below_stages',
    summary: 'performance_metrics.total_ms is smaller than the sum of its stages',
    breaks: (f) => f.totalMs < stagesSum(f) - TOTAL_MS_TOLERANCE,
    message: (f) =>
      `performance_metrics.total_ms is ${f.totalMs} ms, less than the sum of its stages (${stagesList(f)} = ${round3(stagesSum(f))} ms)`,
  },
  {
    id: 'mock_cost',
    summary: 'a non-zero cost from the mock provider',
    breaks: (f) => f.mockProvider && f.costUsd !== 0 && !Number.isNaN(f.costUsd),
    message: (f) => `ai_enrichment.cost_usd is ${f.costUsd} from the mock provider, which costs nothing`,
  },
  {
    id: 'attempts_not_sequential',
    summary: 'platform_publishing.attempts are not numbered 1..n in order',
    breaks: (f) => !numberedInOrder(f.attempts),
    message: (f) => `platform_publishing.attempts are numbered ${f.attempts.slice(0, 20).join(', ')}${f.attempts.length > 20 ? ', …' : ''} instead of 1..${f.attempts.length}`,
  },
  {
    // Not in the spec's examples: published means an attempt succeeded, so there must be one.
    id: 'published_without_attempt',
    summary: 'published without any publishing attempt',
    breaks: (f) => f.status === Status.Published && f.attempts.length === 0,
    message: () => 'platform_publishing.status is published but platform_publishing.attempts lists no attempt',
  },
];

/** Whether the numbers are 1, 2, …, n (a loop: this runs for every record). */
function numberedInOrder(attempts: readonly number[]): boolean {
  for (let i = 0; i < attempts.length; i++) if (attempts[i] !== i + 1) return false;
  return true;
}

/** The sum of the stage times present, in STAGE_NAMES order (NaN when none is). */
function stagesSum(f: RecordFacts): number {
  let sum = NaN;
  const stages = f.stageMs;
  for (let i = 0; i < stages.length; i++) {
    const v = stages[i]!;
    if (v === v) sum = sum === sum ? sum + v : v;
  }
  return sum;
}

function stagesList(f: RecordFacts): string {
  const parts: string[] = [];
  f.stageMs.forEach((v, i) => {
    if (!Number.isNaN(v)) parts.push(`${STAGE_NAMES[i]} ${v}`);
  });
  return parts.join(' + ');
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
