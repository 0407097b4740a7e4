/**
 * The manifest written next to each dump (`<name>.dump` → `<name>.json`): what was backed up,
 * from which server and migration version, and the sha256 that restore checks first.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { BackupError } from "./pgTools";

export const MANIFEST_FORMAT = "servicedb-backup/1";

export interface Manifest {
    readonly format: typeof MANIFEST_FORMAT;
    readonly service: string;
    readonly database: string;
    /** The login that took the dump (the service's role). */
    readonly role: string;
    /** `SHOW server_version` of the source. */
    readonly serverVersion: string;
    /** Highest applied migration version (or baseline); null when the history is empty or absent. */
    readonly migrationVersion: number | null;
    /** Script of the last applied migration, when there is one. */
    readonly lastMigration: string | null;
    /** ISO time the dump was started. */
    readonly createdAt: string;
    /** The dump's file name (in the manifest's folder). */
    readonly file: string;
    readonly bytes: number;
    readonly sha256: string;
}

/** `orders-2026-01-02T03-04-05.678Z.dump`: sortable, no colons (safe on every file system). */
export function dumpFileName(service: string, at: Date): string {
    return `${service}-${at.toISOString().replace(/:/g, "-")}.dump`;
}

/** The manifest beside a dump, and the dump beside a manifest: `--from` accepts either. */
export function backupPaths(from: string): { dump: string; manifest: string } {
    if (from.endsWith(".json")) return { manifest: from, dump: from.replace(/\.json$/, ".dump") };
    return { dump: from, manifest: from.replace(/(\.dump)?$/, ".json") };
}

export async function sha256OfFile(file: string): Promise<string> {
    const hash = createHash("sha256");
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest("hex");
}

const STRINGS = ["service", "database", "role", "serverVersion", "createdAt", "file", "sha256"] as const;

/** Parses and checks a manifest's text; every problem names the file and the field. */
export function parseManifest(text: string, source: string): Manifest {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new BackupError(`${source} is not JSON (${(e as Error).message}); is it the manifest written by npm run backup?`);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new BackupError(`${source} is not a backup manifest (not an object)`);
    const m = doc as Record<string, unknown>;
    if (m.format !== MANIFEST_FORMAT) throw new BackupError(`${source}: format is ${JSON.stringify(m.format)}, expected "${MANIFEST_FORMAT}"; is it a servicedb backup manifest?`);
    for (const f of STRINGS) {
        if (typeof m[f] !== "string" || m[f] === "") throw new BackupError(`${source}: field "${f}" is missing or not a string`);
    }
    if (!/^[0-9a-f]{64}$/.test(m.sha256 as string)) throw new BackupError(`${source}: field "sha256" is not 64 hex digits`);
    if (!Number.isSafeInteger(m.bytes) || (m.bytes as number) < 0) throw new BackupError(`${source}: field "bytes" is not a whole number`);
    if (m.migrationVersion !== null && !Number.isSafeInteger(m.migrationVersion)) throw new BackupError(`${source}: field "migrationVersion" is neither a whole number nor null`);
    if (m.lastMigration !== null && typeof m.lastMigration !== "string") throw new BackupError(`${source}: field "lastMigration" is neither a string nor null`);
    return m as unknown as Manifest;
}

/** Reads the manifest of `from`, then checks the dump's sha256 against it. */
export async function readVerifiedBackup(from: string): Promise<{ dump: string; manifest: Manifest }> {
    const paths = backupPaths(from);
    if (!fs.existsSync(paths.manifest)) throw new BackupError(`${paths.manifest} does not exist; a dump is restored only together with its manifest (written next to it by npm run backup)`);
    if (!fs.existsSync(paths.dump)) throw new BackupError(`${paths.dump} does not exist; the manifest ${paths.manifest} describes it`);
    const manifest = parseManifest(fs.readFileSync(paths.manifest, "utf8"), paths.manifest);
    const actual = await sha256OfFile(paths.dump);
    if (actual !== manifest.sha256) {
        throw new BackupError(`${paths.dump}: sha256 ${actual.slice(0, 12)}… does not match the manifest's ${manifest.sha256.slice(0, 12)}…; the dump is damaged or not the one its manifest describes; nothing was restored`);
    }
    return { dump: paths.dump, manifest };
}
