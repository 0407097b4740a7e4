/**
 * Splits a script into statements where psql does (the rules of PostgreSQL 15's
 * src/fe_utils/psqlscan.l): a semicolon ends a statement unless it is inside a quote ('…', E'…',
 * U&'…', B'…', X'…', "…"), a dollar quote ($$…$$, $tag$…$tag$, tags may hold non-ASCII letters), a
 * comment (-- …, nested /* … *\/), parentheses (CREATE RULE … DO (…; …)) or the BEGIN … END body
 * of CREATE [OR REPLACE] FUNCTION|PROCEDURE (SQL-standard bodies, BEGIN ATOMIC). A statement
 * `COPY … FROM STDIN;` takes the lines after it, up to a line `\.`, as its data, as `psql -f`
 * does with pg_dump output.
 */
export interface CopyData {
    /** The data lines, without the closing `\.` line. */
    readonly data: string;
    /** 0-based offset of the first data line in the script. */
    readonly offset: number;
    /** What follows the semicolon on the COPY line (psql would run it after the data). */
    readonly trailing: string;
}

export interface Statement {
    readonly sql: string;
    /** 0-based offset of the statement in the script, to map error positions back. */
    readonly offset: number;
    /** Unquoted words outside parentheses, lower-cased (the first 24): what checks look at. */
    readonly words: readonly string[];
    /** Inline data of `COPY … FROM STDIN`. */
    readonly copy?: CopyData;
}

const MAX_WORDS = 24;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0x80;
const isDigit = (c: number) => c >= 48 && c <= 57;
/** psql's ident_cont: identifiers may contain `$`, so `a$b$` is no dollar quote. */
const isIdentCont = (c: number) => isIdentStart(c) || isDigit(c) || c === 36;
const isNewline = (c: number) => c === 10 || c === 13;

/** End (exclusive) of a quoted string whose body starts at `i`; `escapes` for E'…'. */
function skipQuoted(s: string, i: number, quote: number, escapes: boolean): number {
    while (i < s.length) {
        const c = s.charCodeAt(i);
        if (escapes && c === 92) { i += 2; continue; }
        if (c === quote) {
            if (s.charCodeAt(i + 1) === quote) { i += 2; continue; }
            return i + 1;
        }
        i++;
    }
    return s.length;
}

/** End (exclusive) of a nested block comment starting at `i` (on its slash-star). */
function skipBlockComment(s: string, i: number): number {
    let depth = 0;
    while (i < s.length) {
        if (s.startsWith("/*", i)) { depth++; i += 2; continue; }
        if (s.charCodeAt(i) === 42) {
            let j = i;
            while (s.charCodeAt(j) === 42) j++;
            if (s.charCodeAt(j) === 47) { i = j + 1; if (--depth === 0) return i; continue; }
            i = j;
            continue;
        }
        i++;
    }
    return s.length;
}

function lineEnd(s: string, i: number): number {
    while (i < s.length && !isNewline(s.charCodeAt(i))) i++;
    return i;
}

/** The dollar-quote delimiter at `i` (`$$`, `$tag$`), or undefined. */
function dollarTag(s: string, i: number): string | undefined {
    let j = i + 1;
    if (j < s.length && isIdentStart(s.charCodeAt(j))) {
        j++;
        while (j < s.length && (isIdentStart(s.charCodeAt(j)) || isDigit(s.charCodeAt(j)))) j++;
    }
    return s.charCodeAt(j) === 36 ? s.slice(i, j + 1) : undefined;
}

/** Index after the token starting at `i` when it is a comment or a quoted literal; else -1. */
function skipOpaque(s: string, i: number): number {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c === 45 && next === 45) return lineEnd(s, i);
    if (c === 47 && next === 42) return skipBlockComment(s, i);
    if (c === 39) return skipQuoted(s, i + 1, 39, false);
    if (c === 34) return skipQuoted(s, i + 1, 34, false);
    if (c === 36) {
        const tag = dollarTag(s, i);
        if (!tag) return -1;
        const close = s.indexOf(tag, i + tag.length);
        return close < 0 ? s.length : close + tag.length;
    }
    if (next === 39 && /[eEbBxXnN]/.test(s[i])) return skipQuoted(s, i + 2, 39, c === 69 || c === 101);
    if ((c === 85 || c === 117) && next === 38) {
        const q = s.charCodeAt(i + 2);
        if (q === 39 || q === 34) return skipQuoted(s, i + 3, q, false);
    }
    return -1;
}

/** The comments before the first token (header lines such as `-- servicedb:no-transaction`). */
export function leadingComments(script: string): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < script.length) {
        const c = script.charCodeAt(i);
        if (c === 32 || c === 9 || c === 12 || isNewline(c)) { i++; continue; }
        if (!script.startsWith("--", i) && !script.startsWith("/*", i)) break;
        const end = skipOpaque(script, i);
        out.push(script.slice(i, end));
        i = end;
    }
    return out;
}

/** A `\.` line ends COPY data (psql accepts the end of the file too). */
function copyDataEnd(s: string, from: number): { dataEnd: number; resume: number } {
    const re = /^\\\.\r?$/gm;
    re.lastIndex = from;
    const m = re.exec(s);
    if (!m) return { dataEnd: s.length, resume: s.length };
    return { dataEnd: m.index, resume: Math.min(s.length, m.index + m[0].length + 1) };
}

export function isCopyFromStdin(words: readonly string[]): boolean {
    return words[0] === "copy" && words.some((w, k) => w === "from" && words[k + 1] === "stdin");
}

export function splitStatements(script: string): Statement[] {
    const out: Statement[] = [];
    let start = 0;
    let i = 0;
    let paren = 0;
    let begin = 0;
    let words: string[] = [];
    // psql's identifiers[]: first letters of CREATE / OR / REPLACE / FUNCTION / PROCEDURE among
    // the statement's first four words, to recognise a function header.
    let heads = "";
    let wordCount = 0;
    let tokens = false;
    const n = script.length;
    const push = (end: number, copy?: CopyData) => {
        const raw = script.slice(start, end);
        const lead = raw.length - raw.trimStart().length;
        if (tokens) {
            out.push({ sql: raw.trim(), offset: start + lead, words, ...(copy ? { copy } : {}) });
        }
        words = [];
        heads = "";
        wordCount = 0;
        tokens = false;
    };
    while (i < n) {
        const c = script.charCodeAt(i);
        const skipped = skipOpaque(script, i);
        if (skipped >= 0) {
            if (!script.startsWith("--", i) && !script.startsWith("/*", i)) tokens = true;
            i = skipped;
            continue;
        }
        if (c !== 32 && c !== 9 && c !== 12 && !isNewline(c) && c !== 59) tokens = true;
        if (isIdentStart(c)) {
            let j = i + 1;
            while (j < n && isIdentCont(script.charCodeAt(j))) j++;
            const word = script.slice(i, j).toLowerCase();
            if (wordCount < 4) heads += /^(create|function|procedure|or|replace)$/.test(word) ? word[0] : "-";
            wordCount++;
            if (paren === 0 && /^c(f|p|orf|orp)/.test(heads)) {
                if (word === "begin") begin++;
                else if (word === "case" && begin >= 1) begin++;
                else if (word === "end" && begin > 0) begin--;
            }
            if (paren === 0 && words.length < MAX_WORDS) words.push(word);
            i = j;
            continue;
        }
        if (c === 40) paren++;
        else if (c === 41) { if (paren > 0) paren--; }
        else if (c === 59 && paren === 0 && begin === 0) {
            if (isCopyFromStdin(words)) {
                const eol = lineEnd(script, i + 1);
                const dataStart = Math.min(n, eol + (script.startsWith("\r\n", eol) ? 2 : 1));
                const { dataEnd, resume } = copyDataEnd(script, dataStart);
                push(i, { data: script.slice(dataStart, dataEnd), offset: dataStart, trailing: script.slice(i + 1, eol).trim() });
                start = i = resume;
                continue;
            }
            push(i);
            start = i + 1;
        }
        i++;
    }
    push(n);
    return out;
}
