// Preloaded into the Pulumi program's node process (Pulumi.yaml: `nodeargs: --require
// ./scripts/lazy-sdk.js`), before the language host's wrapper loads @pulumi/pulumi.
//
// @pulumi/pulumi loads, at start-up, big libraries that a run of servicedb's program may never
// use: TypeScript (through `typescript-shim`, for parsing serialized functions) and
// @npmcli/arborist with its dependency tree (pacote, sigstore, tar, …), normalize-package-data
// and fdir (for the package paths of serialized code), all for its closure serializer; its
// Automation API (`pulumi.automation`, with execa and js-yaml), which programs that drive the
// CLI use, not the Pulumi program itself; and the launcher's OpenTelemetry SDK (exporter, tracer
// provider, gRPC instrumentation), used only when the engine asks for tracing.
// They are about half of the SDK's load time (docs/benchmarks.md), on every `pulumi up` and
// preview (pulumi/pulumi#10185 took the same cost out of the SDK's other entry points). This hook
// hands the SDK's modules a stand-in for each that loads the real module on first use: a program
// that serializes a function (a dynamic provider such as servicedb's migrations) gets the same
// module, later. With `--tracing` (the engine's tracing) the OpenTelemetry modules load as before.
//
// SERVICEDB_EAGER_SDK=true turns the hook off.
"use strict";
const Module = require("module");
const path = require("path");

const SDK_DIR = `${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const TRACING = `${SDK_DIR}cmd${path.sep}run${path.sep}tracing.js`;
/** Whether the engine passed the launcher a tracing endpoint. */
const tracing = process.argv.some((a) => a === "--tracing" || a.startsWith("--tracing="));

const CLOSURE_LIBRARIES = ["@npmcli/arborist", "normalize-package-data", "fdir"];

/** Whether `request`, from the SDK's module `from`, is deferred. */
function isDeferred(request, from) {
    if (/(^|[\\/])typescript-shim$/.test(request) || CLOSURE_LIBRARIES.includes(request)) return true;
    if (request === "./automation" && from.endsWith(`${SDK_DIR}index.js`)) return true;
    return !tracing && from.endsWith(TRACING) && request.startsWith("@opentelemetry/") && request !== "@opentelemetry/api";
}

/**
 * A stand-in for a module's exports that loads it on first use. `__esModule` answers true
 * without loading, so TypeScript's `__importStar`/`__importDefault` pass the stand-in through
 * instead of copying (and so loading) every export; `default` then answers what they would have
 * made it. The SDK only reads properties of the deferred modules (it never calls one itself).
 */
function deferred(load) {
    let real;
    const get = () => (real ??= load());
    return new Proxy({}, {
        get: (_t, key) => {
            if (key === "__esModule" && real === undefined) return true;
            const mod = get();
            // `default` of a CommonJS module, as TypeScript's __importDefault/__importStar make it.
            return key === "default" && !mod.__esModule ? mod : mod[key];
        },
        has: (_t, key) => key in get(),
        ownKeys: () => Reflect.ownKeys(get()),
        getOwnPropertyDescriptor: (_t, key) => {
            const d = Reflect.getOwnPropertyDescriptor(get(), key);
            // Reported configurable: a proxy may not report a non-configurable property its target lacks.
            return d && { ...d, configurable: true };
        },
    });
}

/** Installs the hook once; returns false when it was turned off or is installed already. */
function install() {
    if (process.env.SERVICEDB_EAGER_SDK === "true" || Module._load.servicedbLazySdk) return false;
    const load = Module._load;
    const hooked = function (request, parent, isMain) {
        const from = parent && typeof parent.filename === "string" ? parent.filename : "";
        if (!from.includes(SDK_DIR) || !isDeferred(request, from)) return load.apply(this, arguments);
        const file = Module._resolveFilename(request, parent, isMain);
        if (Module._cache[file]) return load.apply(this, arguments);
        return deferred(() => load.call(Module, file, parent, isMain));
    };
    hooked.servicedbLazySdk = true;
    Module._load = hooked;
    return true;
}

install();
module.exports = { install, deferred, isDeferred };
