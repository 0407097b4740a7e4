/**
 * Test harness: the real program (index.ts) under Pulumi mocks, loaded afresh for every run.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, StackConfig, runUnderMocks } from "../../src/mockRun";

export type { ProgramRun, Registration, StackConfig } from "../../src/mockRun";

export async function runProgram(config: StackConfig, secretKeys: readonly string[] = []): Promise<ProgramRun> {
    return runUnderMocks(config, secretKeys, async () => {
        let exports: Record<string, unknown> = {};
        await jest.isolateModulesAsync(async () => {
            exports = (await import("../../index")) as Record<string, unknown>;
        });
        return exports;
    });
}

/** Resolves an Output's value (tests only). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}
