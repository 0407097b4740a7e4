/**
 * The two shapes every policy of the pack takes: a resource policy that lists the problems of
 * one resource type's properties, and a stack policy that lists findings over all resources.
 * The checks themselves stay pure functions; these wrappers name the resource and report.
 */
import { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Finding, StackResource, subject } from "./resources";
import { Props, str } from "./values";

interface Declared extends Policy {
    readonly enforcementLevel: "advisory" | "mandatory";
}

/** Reports `<Type> "<name>" (<object name>): <problem>.` for each problem of a resource of `type`. */
export function resourcePolicy<C extends object>(
    p: Declared & { readonly type: string; readonly problems: (props: Props, config: C) => string[] },
): ResourceValidationPolicy {
    const { type, problems, ...policy } = p;
    return {
        ...policy,
        validateResource: (args, report) => {
            if (args.type !== type) return;
            const who = subject(args.type, args.name, str(args.props, "name"));
            for (const problem of problems(args.props, args.getConfig<C>())) report(`${who}: ${problem}.`);
        },
    };
}

/** Reports each finding on the resource it is about. */
export function stackPolicy<C extends object>(
    p: Declared & { readonly findings: (resources: readonly StackResource[], config: C) => Finding[] },
): StackValidationPolicy {
    const { findings, ...policy } = p;
    return {
        ...policy,
        validateStack: (args, report) => {
            for (const f of findings(args.resources, args.getConfig<C>())) report(f.message, f.urn);
        },
    };
}
