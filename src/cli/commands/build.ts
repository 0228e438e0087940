import { resolve } from "node:path";
import type { Command } from "commander";
import type { BuildInput } from "../../stack/build.ts";
import { CliExit, type CliIO } from "../io.ts";
import { planWrite, readBuildInput, StackIOError, writeTreeAtomically } from "../stack-io.ts";
import { renderDiagnostics } from "../render.ts";

interface BuildCommandOptions {
  readonly out: string;
  readonly profile?: string;
}

const PROFILE_NAMES = ["homelab", "scalable"] as const;

/** `--profile NAME`, checked (a usage error, exit 2, names the profiles). */
export function parseProfile(value: string | undefined, io: CliIO): BuildInput["profile"] {
  if (value === undefined) return undefined;
  if ((PROFILE_NAMES as readonly string[]).includes(value)) return value as BuildInput["profile"];
  io.stderr(`river: --profile must be one of ${PROFILE_NAMES.join(", ")}, not "${value}"\n`);
  throw new CliExit(2);
}

/**
 * `river build [PIPELINES_DIR] [--out DIR]`: the observability stack of the design, from the Alloy pipeline and the
 * stack options, into a Flux tree. Everything is generated and checked in memory first; the output directory is
 * replaced in one step only when there is no error. Exit 0 ok, 1 errors in the input, 2 usage or I/O problems.
 */
export function registerBuild(program: Command, io: CliIO): void {
  program
    .command("build")
    .description("Generate the GitOps stack (Flux, kube-prometheus-stack, Loki, Alloy) from a pipelines directory")
    .argument("[pipelines]", "directory with the *.alloy pipeline and stack.yaml", "pipelines")
    .option("-o, --out <dir>", "output directory", "manifests")
    .option("--profile <name>", `what the stack is sized for, overriding stack.yaml's profile: ${PROFILE_NAMES.join(" or ")}`)
    .action(async (pipelinesArg: string, opts: BuildCommandOptions) => {
      const profile = parseProfile(opts.profile, io);
      const { buildStack } = await import("../../stack/build.ts");
      const { isGenerated } = await import("../../stack/emit.ts");
      const input = { ...(await readInput(pipelinesArg, opts.out, io)), ...(profile ? { profile } : {}) };
      const result = await buildStack(input);
      const texts = sourceTexts(input);
      // A line holding a literal secret is not printed under its finding: CI logs must not repeat it.
      for (const d of result.diagnostics) if (d.code === "STACK_PLAINTEXT_SECRET") texts.delete(d.filename);
      if (result.diagnostics.length > 0) io.stderr(renderDiagnostics(result.diagnostics, { format: "text", texts }));
      if (!result.ok) {
        io.stderr(`river build: nothing written to ${input.outLabel}\n`);
        throw new CliExit(1);
      }
      const plan = planWrite(result.files, input.existing, isGenerated);
      if (plan.conflicts.length > 0) {
        for (const c of plan.conflicts) {
          io.stderr(`${input.outLabel}${c}: exists and was not written by river build (no generated header); move it away or delete it\n`);
        }
        io.stderr(`river build: nothing written to ${input.outLabel}\n`);
        throw new CliExit(1);
      }
      if (plan.created.length + plan.changed.length + plan.removed.length > 0) {
        try {
          writeTreeAtomically(resolve(io.cwd, opts.out), result.files, plan);
        } catch (err) {
          io.stderr(`river build: cannot write ${input.outLabel}: ${err instanceof Error ? err.message : String(err)}; nothing was changed\n`);
          throw new CliExit(2);
        }
      }
      const lines = [
        ...plan.created.map((p) => `created   ${input.outLabel}${p}`),
        ...plan.changed.map((p) => `changed   ${input.outLabel}${p}`),
        ...plan.removed.map((p) => `removed   ${input.outLabel}${p}`),
      ];
      io.stdout(lines.map((l) => `${l}\n`).join(""));
      io.stdout(
        `${input.outLabel}: ${plan.created.length} created, ${plan.changed.length} changed, ${plan.unchanged.length} unchanged, ${plan.removed.length} removed\n`,
      );
    });
}

export async function readInput(pipelinesArg: string, out: string, io: CliIO): Promise<BuildInput> {
  try {
    return await readBuildInput(pipelinesArg, out, io.cwd);
  } catch (err) {
    if (!(err instanceof StackIOError)) throw err;
    io.stderr(`river: ${err.message}\n`);
    throw new CliExit(2);
  }
}

/**
 * The texts diagnostics point into, for the caret lines of the text output. Not those of SOPS files (`*.enc.yaml`):
 * a line there that a diagnostic points at may hold a plaintext value or comment, which the output must not show.
 */
export function sourceTexts(input: BuildInput): Map<string, string> {
  const texts = new Map<string, string>();
  for (const f of input.pipelines) texts.set(f.filename, f.text);
  if (input.stack) texts.set(input.stack.filename, input.stack.text);
  for (const [p, t] of input.existing) if (!p.endsWith(".enc.yaml")) texts.set(input.outLabel + p, t);
  return texts;
}
