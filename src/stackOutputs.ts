/**
 * A stack's services for the day-2 commands: `--outputs <file>` (pulumi stack output --json
 * --show-secrets) or `--stack <name>` (the Automation API), parsed by src/verify/outputs.ts.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import { OutputsError, ServiceUnderTest, parseOutputs, servicesFromOutputs } from "./verify/outputs";
import { PROJECT_ROOT } from "./root";

export async function loadServices(source: { outputs?: string; stack?: string }): Promise<ServiceUnderTest[]> {
    const services = source.outputs ? fromFile(source.outputs) : await fromStack(source.stack as string);
    if (!services.length) throw new OutputsError("the outputs list no service");
    return services;
}

function fromFile(file: string): ServiceUnderTest[] {
    if (!fs.existsSync(file)) throw new OutputsError(`${file} does not exist; write it with: pulumi stack output --json --show-secrets > ${file}`);
    return parseOutputs(fs.readFileSync(file, "utf8"), file);
}

async function fromStack(stackName: string): Promise<ServiceUnderTest[]> {
    if (spawnSync("pulumi", ["version"], { stdio: "ignore" }).error) {
        throw new OutputsError(`--stack ${stackName} needs the Pulumi CLI, which is not on PATH; install it, or use --outputs <file>`);
    }
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    let outputs: Record<string, { value: unknown }>;
    try {
        const stack = await LocalWorkspace.selectStack({ stackName, workDir: PROJECT_ROOT });
        outputs = await stack.outputs();
    } catch (e) {
        throw new OutputsError(`cannot read the outputs of stack ${stackName} (${(e as Error).message.split("\n")[0]}); is the Pulumi CLI on PATH? Otherwise use --outputs <file>`);
    }
    return servicesFromOutputs(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value])), `stack ${stackName}`);
}

/** The one service named by `--service`; the error lists the services there are. */
export function pickService(services: readonly ServiceUnderTest[], name: string): ServiceUnderTest {
    const s = services.find((x) => x.service === name);
    if (!s) throw new OutputsError(`the stack has no service "${name}"; its services: ${services.map((x) => x.service).join(", ")}`);
    return s;
}
