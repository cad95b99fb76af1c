// Text output helpers for the CLI. Archive content is hostile until proven otherwise: nothing from
// it reaches the terminal with control characters or bidi overrides intact.
export { formatBytes } from '../shared/format-bytes';

// C0 and C1 controls and Unicode bidi controls (Trojan Source, CVE-2021-42574).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function safeForTerminal(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function table(headers: string[], rows: string[][], align: ('left' | 'right')[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd() + '\n';
  return fmt(headers) + rows.map(fmt).join('');
}
