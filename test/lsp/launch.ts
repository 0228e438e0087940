// Runs river's CLI from the TypeScript sources (`node --import tsx test/lsp/launch.ts lsp`), so that the language
// server tests always drive the code they test, never a stale dist/.
import { main } from "../../src/cli/main.ts";

process.exitCode = await main(process.argv);
