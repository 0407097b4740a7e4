/**
 * Runs the real program (index.ts) under Pulumi mocks with a given stack config and records
 * every resource registration: type, name, inputs, provider, parent and dependencies. Used by
 * the unit tests (test/unit/harness.ts) and by the offline plan (`npm run plan`).
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { RESOURCE_TYPES, typeOfUrn } from "./plugin/types";

export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly inputs: Record<string, unknown>;
    readonly provider: string;
    readonly parent: string;
    readonly dependencies: readonly string[];
    readonly retainOnDelete: boolean;
    readonly protect: boolean;
    readonly deleteBeforeReplace: boolean;
    /** Top-level inputs that reached the engine as, or holding, a secret. */
    readonly secretInputs: readonly string[];
    readonly ignoreChanges: readonly string[];
    readonly additionalSecretOutputs: readonly string[];
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    getRetainondelete(): boolean | undefined;
    getProtect(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** The SDK's marker of a serialized secret value. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isSecretValue(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === SECRET_SIG;
}

/** Inputs with secret wrappers removed; which ones were secret is in `secretInputs`. */
function unwrapSecrets(v: unknown): unknown {
    if (isSecretValue(v)) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    return v;
}

/** Whether a serialized value is, or holds somewhere inside it, a secret. */
function holdsSecret(v: unknown): boolean {
    if (isSecretValue(v)) return true;
    if (Array.isArray(v)) return v.some(holdsSecret);
    if (typeof v === "object" && v !== null) return Object.values(v).some(holdsSecret);
    return false;
}

function secretKeysOf(obj: Record<string, unknown>): string[] {
    return Object.entries(obj).filter(([, v]) => holdsSecret(v)).map(([k]) => k);
}

const FAKE_PASSWORD = "Pw0rdFromMocks0123456789abcdefghijKLMNOP";
/** What a ServiceCore (components/serviceCore.ts) generates for its second login under mocks. */
const FAKE_PASSWORD_B = "Pw0rdBFromMocks123456789abcdefghijKLMNOP";

/** Outputs that mocked resources return in addition to their inputs. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    if (args.type === "random:index/randomPassword:RandomPassword") return { ...args.inputs, result: FAKE_PASSWORD };
    if (args.type === RESOURCE_TYPES.core) return { ...args.inputs, passwordA: FAKE_PASSWORD, passwordB: FAKE_PASSWORD_B };
    if (args.type === "docker:index/remoteImage:RemoteImage") return { ...args.inputs, imageId: `sha256:image-of-${args.name}` };
    return { ...args.inputs };
}

/** Records what the program registers: wraps the MockMonitor that `setMocks` installs. */
class Recorder {
    readonly registrations: Registration[] = [];

    constructor(private readonly stack: string) {}
    /** Inputs as the mocks saw them, by `type::name` (names are unique per type in a stack). */
    private readonly inputs = new Map<string, Record<string, unknown>>();

    readonly mocks: pulumi.runtime.Mocks = {
        newResource: (args) => {
            this.inputs.set(`${args.type}::${args.name}`, unwrapSecrets(args.inputs) as Record<string, unknown>);
            return { id: `${args.name}-id`, state: mockState(args) };
        },
        call: (args) => args.inputs,
    };

    attach(monitor: MockMonitor): void {
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: RegisterRequest, callback) => {
            this.record(req);
            return register(req, callback);
        };
    }

    private record(req: RegisterRequest): void {
        const parent = req.getParent();
        const type = req.getType();
        const name = req.getName();
        const inputs = this.inputs;
        this.registrations.push({
            type, name, parent, provider: req.getProvider(),
            urn: `urn:pulumi:${this.stack}::servicedb::${parentTypes(parent)}${type}::${name}`,
            dependencies: req.getDependenciesList(),
            retainOnDelete: req.getRetainondelete() ?? false,
            protect: req.getProtect() ?? false,
            deleteBeforeReplace: req.getDeletebeforereplace(),
            secretInputs: secretKeysOf(req.getObject()?.toJavaScript() ?? {}),
            ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            get inputs() { return inputs.get(`${type}::${name}`) ?? {}; },
        });
    }
}

function parentTypes(parentUrn: string): string {
    if (!parentUrn) return "";
    // As MockMonitor builds URNs: only the parent's own type is prefixed.
    return `${typeOfUrn(parentUrn)}$`;
}

export interface ProgramRun {
    readonly exports: Record<string, unknown>;
    readonly resources: readonly Registration[];
    /** The single registration of `type` named `name`; throws if absent. */
    get(type: string, name: string): Registration;
    ofType(type: string): Registration[];
    /** Names of the resources `r` depends on (explicitly or through its inputs). */
    dependencyNames(r: Registration): string[];
}

/** Config as `pulumi config` would hand it to the program: JSON strings per key. */
export interface StackConfig {
    readonly [key: string]: unknown;
}

/**
 * Sets mocks and config, then calls `importProgram` (which must load index.ts afresh) and waits
 * until every registration has reached the mocks.
 */
export async function runUnderMocks(
    config: StackConfig,
    secretKeys: readonly string[],
    importProgram: () => Promise<Record<string, unknown>>,
    stack = "test",
): Promise<ProgramRun> {
    const recorder = new Recorder(stack);
    await pulumi.runtime.setMocks(recorder.mocks, "servicedb", stack, false);
    recorder.attach(pulumi.runtime.getMonitor() as unknown as MockMonitor);
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(raw, [...secretKeys]);

    const exports = await importProgram();
    await waitForRegistrations();

    const resources = recorder.registrations;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return {
        exports,
        resources,
        get(type, name) {
            const found = resources.filter((r) => r.type === type && r.name === name);
            if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${resources.map((r) => r.name).join(", ")}`);
            return found[0];
        },
        ofType: (type) => resources.filter((r) => r.type === type),
        dependencyNames: (r) => r.dependencies.map((u) => byUrn.get(u)?.name ?? u),
    };
}

async function waitForRegistrations(): Promise<void> {
    // The SDK's own drain of outstanding RPCs (registrations included).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    for (let i = 0; i < 3; i++) {
        await settings.waitForRPCs();
        await new Promise((r) => setImmediate(r));
    }
}
