// What `alog stats` (and the app's summary panel) reports over a whole selection, never a sample.

export interface ProviderTotals {
  records: number;
  costUsd: number;
  promptTokens: number;
  completionTokens: number;
}

export interface QueryStats {
  /** Records selected. */
  total: number;
  /**
   * Of those, by integrity class (integrity-class.ts): intact and signed by a trusted key; with a
   * finding on the record or its day file (`invalid`); intact but signed by a key not trusted;
   * unsealed; and not yet verified.
   */
  verified: number;
  withFindings: number;
  untrustedKey: number;
  unsealed: number;
  notYetVerified: number;
  /** Counts of records per value, most frequent first; "(none)" counts records without the field. */
  byStatus: Record<string, number>;
  byProvider: Record<string, number>;
  byPlatform: Record<string, number>;
  /** Records having at least one error of the class (a record may count under several). */
  byErrorClass: Record<string, number>;
  /** Nearest-rank percentiles of performance_metrics.total_ms over the records that have it. */
  totalMs: { count: number; min: number; p50: number; p95: number; p99: number; max: number; mean: number } | null;
  costByProvider: Record<string, ProviderTotals>;
  totals: { costUsd: number; promptTokens: number; completionTokens: number };
  /** brand_voice_analysis.gate_passed: records evaluated, blocked (false), and their ratio. */
  gate: { evaluated: number; blocked: number; blockRate: number | null };
  millis: number;
}
