/**
 * `no-other-db`: is every service refused by every other service's database? Pure judgement of
 * what the sessions read from the catalog and what the real attempts saw.
 *
 * The server refuses a connection to a database whose CONNECT privilege the login role lacks
 * (superusers have every privilege), before and whatever pg_hba.conf allows; pg_hba.conf can only
 * refuse more. So "the catalog denies CONNECT" proves the refusal. A CONNECT the catalog grants is
 * a failure even when pg_hba.conf happens to refuse the attempt: the grant is one pg_hba.conf
 * line away from a leak. Where the catalog cannot answer (the source could not log in, the
 * database is not in the catalog under that name, another server), the pair is tried for real.
 */
import { ServiceUnderTest } from "./outputs";
import { Pair, groupByServer, pairKey, roundsOf } from "./pairs";
import { CheckResult, result } from "./results";
import { SessionFacts } from "./session";
import { AttemptOutcome, serverOf } from "./connections";
import { declaresRead } from "./reads";

/** The catalog's answer for a pair: true (may connect), false (refused), undefined (cannot tell). */
export function catalogSays(all: readonly ServiceUnderTest[], facts: readonly SessionFacts[], p: Pair): boolean | undefined {
    const [a, b] = [all[p.from], all[p.to]];
    if (!facts[p.from].loggedIn || serverOf(a) !== serverOf(b)) return undefined;
    return facts[p.from].connect.get(b.database);
}

/** Same-server pairs not tried yet whose verdict needs a real attempt (see the file comment). */
export function fallbackPairs(all: readonly ServiceUnderTest[], facts: readonly SessionFacts[], tried: ReadonlySet<string>): Pair[] {
    return groupByServer(all.map(serverOf)).flatMap(roundsOf)
        .filter((p) => !tried.has(pairKey(p)) && catalogSays(all, facts, p) !== false);
}

export function judgeOtherDatabases(all: readonly ServiceUnderTest[], facts: readonly SessionFacts[], attempts: ReadonlyMap<string, AttemptOutcome>): CheckResult[] {
    return all.map((a, i) => {
        const leaks: string[] = [];
        let real = 0, denied = 0;
        const declared: string[] = [];
        all.forEach((b, j) => {
            if (i === j) return;
            // A declared read may connect: the reads check proves what it may do there.
            if (declaresRead(a, b)) { declared.push(b.service); return; }
            const p = { from: i, to: j };
            const tried = attempts.get(pairKey(p));
            const catalog = catalogSays(all, facts, p);
            const where = `database ${b.database} of service ${b.service}`;
            if (tried?.ok) {
                leaks.push(catalog === false
                    ? `connected to ${where}, although the catalog denies CONNECT (the fast path cannot be trusted on this server: use --full-matrix)`
                    : `connected to ${where}`);
                return;
            }
            if (catalog === true) {
                leaks.push(`has CONNECT on ${where} (the attempt was refused${tried?.error ? `: ${tried.error}` : ""}, but the grant is one pg_hba.conf line from a leak; revoke it)`);
                return;
            }
            if (!tried && catalog !== false) leaks.push(`${where}: neither tried nor judged by the catalog`);
            if (tried) real++;
            if (catalog === false) denied++;
        });
        if (leaks.length) return result(a.service, "no-other-db", "fail", leaks.join("; "));
        const how = [`${real} real attempt${real === 1 ? "" : "s"} refused`];
        if (facts[i].loggedIn) how.push(`the privilege catalog denies CONNECT on ${denied}`);
        else how.push("no catalog: own login failed");
        const others = all.length - 1 - declared.length;
        const reads = declared.length ? `; may connect to ${declared.join(", ")}, which it reads` : "";
        return result(a.service, "no-other-db", "pass", `refused by all ${others} other databases (${how.join("; ")})${reads}`);
    });
}
