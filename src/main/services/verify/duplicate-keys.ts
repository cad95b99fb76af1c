interface Frame {
  /** Keys seen so far; null for arrays. */
  keys: Set<string> | null;
  expectKey: boolean;
  path: string;
  lastKey: string;
  index: number;
}

function childPath(top: Frame | undefined): string {
  if (!top) return '';
  if (top.keys) return top.path ? `${top.path}.${top.lastKey}` : top.lastKey;
  return `${top.path}[${top.index}]`;
}

/**
 * First duplicate member name in a JSON text that JSON.parse already accepted. JSON.parse keeps
 * the last duplicate silently, so a record could show one value while another reader (or the
 * producer) saw a different one: I-JSON (RFC 7493) forbids them.
 */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j += 2;
        } else if (d === 0x22 || j >= n) break;
        else j++;
      }
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) return { key, path: top.path };
        top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const path = childPath(stack[stack.length - 1]);
      stack.push({ keys: c === 0x7b ? new Set() : null, expectKey: c === 0x7b, path, lastKey: '', index: 0 });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    }
    i++;
  }
  return undefined;
}
