import { expect } from 'vitest';

/** A malformed command line: exit 2, one `alog:` line naming the problem, then the usage; nothing on stdout. */
export function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`^alog: .*${message.source}`));
  expect(r.stderr).toMatch(/\nusage:\n/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
}
