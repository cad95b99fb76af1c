// Word-level differences between a value before and after redaction, for the wizard's preview.

export interface TextPart {
  text: string;
  changed: boolean;
}

const MAX_TOKENS = 400;

/**
 * Both sides of a change split into unchanged and changed runs, word by word (longest common
 * subsequence of words and the spaces between them), so "Emma Chen" → "PERSON_2" is marked in a
 * body that is otherwise the same.
 */
export function diffWords(before: string, after: string): { before: TextPart[]; after: TextPart[] } {
  const a = before.split(/(\s+)/).filter((t) => t !== '');
  const b = after.split(/(\s+)/).filter((t) => t !== '');
  if (a.length > MAX_TOKENS || b.length > MAX_TOKENS) return { before: [{ text: before, changed: true }], after: [{ text: after, changed: true }] };
  // lcs[i][j]: common tokens of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out = { before: [] as TextPart[], after: [] as TextPart[] };
  const push = (side: TextPart[], text: string, changed: boolean) => {
    const last = side[side.length - 1];
    if (last && last.changed === changed) last.text += text;
    else side.push({ text, changed });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push(out.before, a[i]!, false);
      push(out.after, b[j]!, false);
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) push(out.after, b[j++]!, true);
    else push(out.before, a[i++]!, true);
  }
  return { before: joinChanges(out.before), after: joinChanges(out.after) };
}

/** A space left between two changed runs belongs to the change: "Emma Chen" is one change, not two. */
function joinChanges(parts: TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const prev = out[out.length - 1];
    const next = parts[k + 1];
    if (prev?.changed && !p.changed && /^\s+$/.test(p.text) && next?.changed) {
      prev.text += p.text + next.text;
      k++;
    } else out.push({ ...p });
  }
  // Spaces at the edges of a change are not part of it.
  const trimmed: TextPart[] = [];
  const add = (text: string, changed: boolean): void => {
    if (text === '') return;
    const last = trimmed[trimmed.length - 1];
    if (last && last.changed === changed) last.text += text;
    else trimmed.push({ text, changed });
  };
  for (const p of out) {
    if (!p.changed) add(p.text, false);
    else {
      const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(p.text) ?? [];
      add(lead, false);
      add(core, true);
      add(trail, false);
    }
  }
  return trimmed;
}
