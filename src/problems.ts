/**
 * A config problem names what is wrong, where, and how to fix it. All problems of a config are
 * collected and reported together, before any resource is declared.
 */
export interface ConfigProblem {
    /** What the problem is about: `service "k-indexer"`, `cluster "main"`, `servicedb:services`. */
    readonly subject: string;
    /** The config field, e.g. `connectionLimit`. */
    readonly field: string;
    /** What is wrong, without the subject. */
    readonly problem: string;
    /** What to change. */
    readonly fix: string;
}

export function serviceSubject(service: string): string {
    return `service "${service}"`;
}

export function clusterSubject(cluster: string): string {
    return `cluster "${cluster}"`;
}

/** One line per problem: `service "a", field "role": <problem>. Fix: <fix>.` */
export function formatProblem(p: ConfigProblem): string {
    return `${p.subject}, field "${p.field}": ${p.problem}. Fix: ${p.fix}.`;
}

/** Thrown by `planPlatform` when a config has problems. The message lists every one. */
export class ConfigError extends Error {
    readonly problems: readonly ConfigProblem[];

    constructor(problems: readonly ConfigProblem[]) {
        const n = problems.length;
        super(
            `servicedb config has ${n} problem${n === 1 ? "" : "s"}; nothing was created:\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "ConfigError";
        this.problems = problems;
    }
}
