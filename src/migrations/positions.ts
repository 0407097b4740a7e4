/**
 * Positions in SQL text. PostgreSQL reports an error position in characters, JavaScript strings
 * index UTF-16 code units: a character outside the BMP (an emoji, some CJK) is one character for
 * the server and two units for JavaScript. Lines and columns are counted like psql and editors:
 * 1-based, columns in characters.
 */

/** The code-unit index of the `chars`-th character (0-based) of `text`. */
export function indexOfChar(text: string, chars: number, from = 0): number {
    let i = from;
    for (let k = 0; k < chars && i < text.length; k++) {
        const c = text.charCodeAt(i);
        i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    }
    return i;
}

/** 1-based line and column (in characters) of a 0-based code-unit offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, text.length));
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) {
        line++;
        lineStart = i + 1;
    }
    return { line, column: [...text.slice(lineStart, at)].length + 1 };
}
