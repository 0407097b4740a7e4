/**
 * `npm run gen:settings`: rewrites what is derived from the settings' declarations (src/settings/):
 * the reference tables of the docs and provider/settings.ts.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../src/root";
import { GENERATED_DOCS, providerSettingsSource, withTables } from "../src/settings/reference";

for (const doc of GENERATED_DOCS) {
    const file = path.join(PROJECT_ROOT, doc);
    fs.writeFileSync(file, withTables(fs.readFileSync(file, "utf8")));
    process.stdout.write(`wrote ${doc}\n`);
}
fs.writeFileSync(path.join(PROJECT_ROOT, "provider", "settings.ts"), providerSettingsSource());
process.stdout.write("wrote provider/settings.ts\n");
