// Text from a file shown on a terminal: control characters (which can move the cursor, clear the
// screen or set the title), bidirectional overrides (which reorder what is shown) and invisible
// characters become visible escapes, so a name shows what it really holds.

// C0 and C1 controls, DEL, bidi marks/embeddings/overrides/isolates, zero-width characters, BOM,
// line and paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

export function visible(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
