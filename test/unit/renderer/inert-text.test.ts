import { describe, expect, it } from 'vitest';
import { codePointLabel, inertSegments } from '../../../src/renderer/src/ui/InertText';

describe('inertSegments', () => {
  it('leaves ordinary text, markup and newlines alone (React renders them as text)', () => {
    for (const text of ['plain', '<script>alert(1)</script>', 'line one\nline two\ttab', 'émoji 😀 中文 عربى']) {
      expect(inertSegments(text)).toEqual([{ text, special: false }]);
    }
  });

  it('isolates bidi overrides, zero-width and control characters as visible markers', () => {
    expect(inertSegments('invoice\u202Efdp.exe')).toEqual([
      { text: 'invoice', special: false },
      { text: '\u202E', special: true },
      { text: 'fdp.exe', special: false },
    ]);
    for (const c of ['\u2066', '\u2067', '\u2068', '\u2069', '\u200B', '\u200F', '\uFEFF', '\u0000', '\u001b', '\u0085', '\u2028']) {
      expect(inertSegments(`a${c}b`).map((s) => s.special)).toEqual([false, true, false]);
    }
    expect(codePointLabel('\u202E')).toBe('U+202E');
  });
});
