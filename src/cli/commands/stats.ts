import type { QueryStats } from '../../shared/query-stats';
import { QueryEngine } from '../../main/services/query/query-engine';
import { UsageError, parseCommandLine } from '../cli-support';
import { safeForTerminal, table } from '../format';
import { verdictLines } from '../verdict';
import { openIndexForCli, verificationJson, withIndexPool } from './index';
import { QUERY_OPTIONS, queryError } from './query';
import { completenessOptions } from '../completeness-options';

export async function runStats(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, QUERY_OPTIONS);
  const [archive, query = '', ...extra] = parsed.positionals;
  if (!archive || extra.length > 0) throw new UsageError('stats takes ARCHIVE and at most one QUERY (quote it)');
  const v = parsed.values;
  const completeness = await completenessOptions(v);
  return withIndexPool(async (pool, signal) => {
    const { index, verification } = await openIndexForCli(archive, v['cache-dir'], v['trust-key'], pool, signal, completeness);
    const engine = new QueryEngine(index, pool);
    let stats: QueryStats;
    try {
      stats = await engine.stats({ query, from: v.from, to: v.to }, signal);
    } catch (e) {
      queryError(e, query);
    }
    process.stdout.write(v.json ? JSON.stringify({ ...stats, verification: verificationJson(verification) }, null, 2) + '\n' : renderStats(stats) + verdictLines(verification, false));
    return 0;
  });
}

const pct = (n: number, total: number) => (total === 0 ? '0.0%' : `${((100 * n) / total).toFixed(1)}%`);

function counts(title: string, m: Record<string, number>, total: number): string {
  const rows = Object.entries(m).map(([k, n]) => [safeForTerminal(k), String(n), pct(n, total)]);
  return `${title}\n` + (rows.length === 0 ? '  (none)\n' : table(['  value', 'records', 'share'], rows.map((r) => [`  ${r[0]}`, r[1]!, r[2]!]), ['left', 'right', 'right']));
}

export function renderStats(s: QueryStats): string {
  const integrity = [
    `${s.verified} verified`,
    `${s.withFindings} with findings`,
    ...(s.untrustedKey > 0 ? [`${s.untrustedKey} intact but signed by a key not trusted`] : []),
    ...(s.unsealed > 0 ? [`${s.unsealed} unsealed`] : []),
    ...(s.notYetVerified > 0 ? [`${s.notYetVerified} not verified yet`] : []),
  ].join(', ');
  let out = `${s.total} record(s) selected (${integrity}), computed in ${s.millis.toFixed(0)} ms\n\n`;
  out += counts('by status', s.byStatus, s.total) + '\n';
  out += counts('by provider', s.byProvider, s.total) + '\n';
  out += counts('by platform', s.byPlatform, s.total) + '\n';
  out += counts('by error class (records with at least one)', s.byErrorClass, s.total) + '\n';
  if (s.totalMs) {
    const t = s.totalMs;
    out += `total_ms over ${t.count} record(s): p50 ${t.p50}  p95 ${t.p95}  p99 ${t.p99}  (min ${t.min}, max ${t.max}, mean ${t.mean.toFixed(1)})\n\n`;
  } else out += 'total_ms: no values\n\n';
  const prov = Object.entries(s.costByProvider).map(([k, e]) => [
    `  ${safeForTerminal(k)}`,
    String(e.records),
    `$${e.costUsd.toFixed(4)}`,
    String(e.promptTokens),
    String(e.completionTokens),
  ]);
  prov.push(['  total', String(s.total), `$${s.totals.costUsd.toFixed(4)}`, String(s.totals.promptTokens), String(s.totals.completionTokens)]);
  out += 'cost and tokens by provider\n' + table(['  provider', 'records', 'cost_usd', 'prompt_tokens', 'completion_tokens'], prov, ['left', 'right', 'right', 'right', 'right']) + '\n';
  out += `brand-voice gate: ${s.gate.blocked} blocked of ${s.gate.evaluated} evaluated (${s.gate.blockRate === null ? 'n/a' : `${(100 * s.gate.blockRate).toFixed(2)}%`} block rate)\n`;
  return out;
}
