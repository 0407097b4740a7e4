/**
 * `npm run docs:commands`: rewrites the generated part of docs/commands.md from the command table
 * (src/cli/commands.ts), leaving the written parts around it as they are.
 */
import * as fs from "fs";
import * as path from "path";
import { COMMANDS } from "../src/cli/commands";
import { referenceMarkdown, withReference } from "../src/cli/reference";
import { PROJECT_ROOT } from "../src/root";

const file = path.join(PROJECT_ROOT, "docs", "commands.md");
fs.writeFileSync(file, withReference(fs.readFileSync(file, "utf8"), referenceMarkdown(Object.values(COMMANDS))));
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
