/**
 * Splits a script into statements at top-level semicolons, aware of quotes ('…', "…", E'…'),
 * dollar quoting ($$…$$, $tag$…$tag$) and comments (line comments, nested block comments). Used for
 * files that run outside a transaction: PostgreSQL runs a multi-statement query string as one
 * implicit transaction, which CREATE INDEX CONCURRENTLY refuses.
 */
export interface Statement {
    readonly sql: string;
    /** 0-based offset of the statement in the script, to map error positions back. */
    readonly offset: number;
}

export function splitStatements(script: string): Statement[] {
    const out: Statement[] = [];
    let start = 0;
    let i = 0;
    const n = script.length;
    const push = (end: number) => {
        const raw = script.slice(start, end);
        const lead = raw.length - raw.trimStart().length;
        if (raw.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").trim() !== "") out.push({ sql: raw.trim(), offset: start + lead });
    };
    while (i < n) {
        const c = script[i];
        const next = script[i + 1];
        if (c === "-" && next === "-") {
            const eol = script.indexOf("\n", i);
            i = eol < 0 ? n : eol + 1;
        } else if (c === "/" && next === "*") {
            let depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (script[i] === "/" && script[i + 1] === "*") { depth++; i += 2; } else if (script[i] === "*" && script[i + 1] === "/") { depth--; i += 2; } else i++;
            }
        } else if (c === "'" || c === '"') {
            const escapes = c === "'" && /[eE]/.test(script[i - 1] ?? "") && !/[A-Za-z0-9_]/.test(script[i - 2] ?? "");
            i++;
            while (i < n) {
                if (escapes && script[i] === "\\") { i += 2; continue; }
                if (script[i] === c) {
                    if (script[i + 1] === c) { i += 2; continue; }
                    break;
                }
                i++;
            }
            i++;
        } else if (c === "$") {
            const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i));
            if (tag && !/[A-Za-z0-9_]/.test(script[i - 1] ?? "")) {
                const close = script.indexOf(tag[0], i + tag[0].length);
                i = close < 0 ? n : close + tag[0].length;
            } else i++;
        } else if (c === ";") {
            push(i);
            start = i + 1;
            i++;
        } else i++;
    }
    push(n);
    return out;
}

/** 1-based line and column of a 0-based offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, Math.max(0, offset));
    const line = before.split("\n").length;
    return { line, column: offset - before.lastIndexOf("\n") };
}
