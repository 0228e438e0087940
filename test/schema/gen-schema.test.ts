import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { COMPONENTS, CONFIG_BLOCKS, STDLIB, childBlocks, componentSchema } from "../../src/schema/index.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SHARED = resolve(REPO, "../shared");
const haveShared = existsSync(join(SHARED, "alloy", "components.json"));

describe("generated schema", () => {
  it.skipIf(!haveShared)("is what scripts/gen-schema.mjs generates from ../shared (byte for byte)", async () => {
    const url = pathToFileURL(join(REPO, "scripts", "gen-schema.mjs")).href;
    const mod = (await import(url)) as { generate: (dir: string) => Record<string, string> };
    const out = mod.generate(SHARED);
    expect(Object.keys(out).sort()).toEqual(["components.ts", "stdlib.ts"]);
    for (const [name, text] of Object.entries(out)) {
      const committed = readFileSync(join(REPO, "src", "schema", "generated", name), "utf8");
      expect(text === committed, `src/schema/generated/${name} is stale: run node scripts/gen-schema.mjs`).toBe(true);
    }
    // Deterministic: a second run gives the same bytes.
    expect(mod.generate(SHARED)).toEqual(out);
  });
  if (!haveShared) it.skip("../shared is absent: the regeneration check is skipped", () => {});

  it("has all 184 components, labeled config blocks and the stdlib", () => {
    expect(Object.keys(COMPONENTS)).toHaveLength(184);
    expect(Object.keys(CONFIG_BLOCKS).sort()).toEqual([
      "argument", "declare", "export", "foreach", "http", "import.file", "import.git", "import.http", "import.string",
      "livedebugging", "logging", "remotecfg", "tracing",
    ]);
    expect(STDLIB.deprecatedAliases["env"]).toBe("sys.env");
    expect(Object.keys(STDLIB.deprecatedAliases)).toHaveLength(16);
    expect(STDLIB.entries["string.format"]).toMatchObject({ kind: "function", returns: "string" });
  });

  it("keeps nesting, repeatability, labels, enum blocks and stage.match recursion", () => {
    const lp = componentSchema("loki.process");
    expect(lp).toBeDefined();
    const match = lp?.blocks["stage.match"];
    expect(match?.enum).toBe("stage");
    expect(match?.childrenOf).toBe("");
    const kids = childBlocks([lp!, match!], match!);
    expect(Object.keys(kids)).toContain("stage.json");
    expect(Object.keys(kids)).toContain("stage.match");
    expect(componentSchema("prometheus.exporter.snmp")?.blocks["target"]?.labeled).toBe(true);
    expect(componentSchema("prometheus.remote_write")?.blocks["endpoint"]?.repeatable).toBe(true);
    expect(componentSchema("discovery.relabel")?.exports).toEqual({ output: "list(map(string))", rules: "RelabelRules" });
  });

  it("uses the code's names where the docs disagree", () => {
    const solace = componentSchema("otelcol.receiver.solace");
    expect(Object.keys(solace?.blocks ?? {})).toContain("auth");
    expect(Object.keys(solace?.blocks ?? {})).not.toContain("authentication");
    const api = componentSchema("loki.source.api");
    const tls = api?.blocks["http"]?.blocks["tls"];
    expect(Object.keys(tls?.arguments ?? {})).toContain("client_ca");
    expect(Object.keys(tls?.arguments ?? {})).not.toContain("client_ca_pem");
    // codeTypeDiffers: documented as string, secret in code.
    expect(componentSchema("discovery.ec2")?.arguments["secret_key"]?.type).toBe("secret");
  });
});
