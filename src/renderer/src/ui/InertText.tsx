// Archive text is hostile until proven otherwise. React already renders it as text (never HTML);
// this also makes invisible and direction-changing characters visible, so a record cannot
// reorder what the reader sees (Trojan Source, CVE-2021-42574) or hide text in zero-width runs.

const SPECIAL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

const NAMES: Record<string, string> = {
  '\u202a': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202b': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202c': 'POP DIRECTIONAL FORMATTING',
  '\u202d': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202e': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
  '\u200b': 'ZERO WIDTH SPACE',
  '\u200e': 'LEFT-TO-RIGHT MARK',
  '\u200f': 'RIGHT-TO-LEFT MARK',
  '\ufeff': 'ZERO WIDTH NO-BREAK SPACE',
  '\u0000': 'NULL',
};

export function codePointLabel(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Splits text into plain runs and the special characters between them. */
export function inertSegments(text: string): { text: string; special: boolean }[] {
  const out: { text: string; special: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(SPECIAL)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), special: false });
    out.push({ text: m[0], special: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), special: false });
  return out;
}

/** Archive text for a `title` attribute (a tooltip cannot hold markup): special characters as their labels. */
export function inertTitle(text: string): string {
  return inertSegments(text)
    .map((s) => (s.special ? codePointLabel(s.text) : s.text))
    .join('');
}

export function InertText({ text, className }: { text: string; className?: string }) {
  const segments = inertSegments(text);
  const cls = className ? `inert ${className}` : 'inert';
  if (segments.length === 1 && !segments[0]!.special) return <span className={cls}>{text}</span>;
  return (
    <span className={cls}>
      {segments.map((s, i) =>
        s.special ? (
          <span key={i} className="inert-char" title={NAMES[s.text] ?? 'invisible or control character'}>
            {codePointLabel(s.text)}
          </span>
        ) : (
          s.text
        ),
      )}
    </span>
  );
}
