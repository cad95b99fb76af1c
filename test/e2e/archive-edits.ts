import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Changes one byte inside the `body` text of a line (1-based) of a plain day file. */
export function changeOneBodyByte(archive: string, file: string, line: number): { before: string; after: string } {
  const p = path.join(archive, file);
  const lines = readFileSync(p).toString('utf8').split('\n');
  const before = lines[line - 1]!;
  const at = before.indexOf('"body":"') + '"body":"'.length + 5;
  const replacement = before[at] === 'Q' ? 'Z' : 'Q';
  const after = before.slice(0, at) + replacement + before.slice(at + 1);
  lines[line - 1] = after;
  writeFileSync(p, lines.join('\n'));
  return { before, after };
}

/** Appends a line to a plain day file (it becomes the file's last line). */
export function appendLine(archive: string, file: string, text: string): number {
  const p = path.join(archive, file);
  const content = readFileSync(p).toString('utf8');
  writeFileSync(p, content + text + '\n');
  return content.split('\n').length;
}
