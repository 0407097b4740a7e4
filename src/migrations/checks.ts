/**
 * What a file's statements say before anything runs: statements PostgreSQL refuses inside a
 * transaction block (a transactional file would fail with SQLSTATE 25001 half way through a
 * deployment), statements that end the migration's own transaction, and COPY lines psql would
 * read differently. Pure: works on the words the splitter saw.
 */
import { Statement } from "./sqlSplit";

export interface StatementProblem {
    /** Offset of the statement in the file. */
    readonly offset: number;
    readonly problem: string;
}

const has = (w: readonly string[], ...seq: string[]) => w.some((_, k) => seq.every((s, j) => w[k + j] === s));

/** The name of a statement that cannot run inside a transaction block, or undefined. */
export function nonTransactionalKind(words: readonly string[]): string | undefined {
    const [a, b] = words;
    if (a === "create" && (has(words, "index", "concurrently"))) return "CREATE INDEX CONCURRENTLY";
    if (a === "drop" && b === "index" && words[2] === "concurrently") return "DROP INDEX CONCURRENTLY";
    if (a === "reindex" && (words.includes("concurrently") || b === "system" || b === "database")) return "REINDEX " + (words.includes("concurrently") ? "CONCURRENTLY" : b.toUpperCase());
    if (a === "alter" && has(words, "detach", "partition") && words.includes("concurrently")) return "ALTER TABLE … DETACH PARTITION … CONCURRENTLY";
    if (a === "vacuum") return "VACUUM";
    if (a === "cluster" && words.length === 1) return "CLUSTER without a table";
    if ((a === "create" || a === "drop") && (b === "database" || b === "tablespace")) return `${a.toUpperCase()} ${b.toUpperCase()}`;
    if (a === "alter" && b === "system") return "ALTER SYSTEM";
    if ((a === "commit" || a === "rollback") && b === "prepared") return `${a.toUpperCase()} PREPARED`;
    return undefined;
}

/** COMMIT, ROLLBACK and their synonyms end the transaction that holds the file and its history row. */
function endsTransaction(words: readonly string[]): boolean {
    const [a, b] = words;
    if (a === "rollback" && b === "to") return false;
    return ["commit", "end", "rollback", "abort"].includes(a) && b !== "prepared";
}

export function statementProblems(statements: readonly Statement[], transactional: boolean): StatementProblem[] {
    const out: StatementProblem[] = [];
    for (const st of statements) {
        if (st.copy && st.copy.trailing !== "") {
            out.push({ offset: st.offset, problem: "has text after the semicolon of COPY … FROM stdin on the same line; the data starts on the next line, so put that text after the closing \\. line" });
        }
        if (!transactional) continue;
        const kind = nonTransactionalKind(st.words);
        if (kind) {
            out.push({ offset: st.offset, problem: `${kind} cannot run inside a transaction, and this file runs in one; add the line "-- servicedb:no-transaction" to the file's header (the comments before the first statement) so that it runs statement by statement` });
        } else if (endsTransaction(st.words)) {
            out.push({ offset: st.offset, problem: `${st.words[0].toUpperCase()} would end the transaction that holds this migration and its history row; remove it (each file runs in one transaction), or make the file no-transaction` });
        }
    }
    return out;
}
