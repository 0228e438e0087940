import type { Command } from "commander";
import { unifiedDiff } from "../diff.ts";
import { CliExit, type CliIO } from "../io.ts";
import { parseProfile, readInput, sourceTexts } from "./build.ts";
import { OUTPUT_FORMATS, renderDiagnostics, type OutputFormat } from "../render.ts";


interface LintCommandOptions {
  readonly out: string;
  readonly format: string;
  readonly profile?: string;
}

/**
 * `river lint [PIPELINES_DIR]`: the CI gate. The pipeline is formatted and type-checks, manifests/ is exactly what
 * `river build` makes of it (drift is printed as unified diffs), the SOPS Secret is there and encrypted, and nothing
 * holds a plaintext credential. Exit 0 only when all pass; 1 on any problem; 2 on usage or I/O problems.
 */
export function registerLint(program: Command, io: CliIO): void {
  program
    .command("lint")
    .description("Check that pipelines/ is formatted and valid and that manifests/ is its up-to-date, secret-free build")
    .argument("[pipelines]", "directory with the *.alloy pipeline and stack.yaml", "pipelines")
    .option("-o, --out <dir>", "the generated directory to compare", "manifests")
    .option("--format <format>", `output format: ${OUTPUT_FORMATS.join(", ")}`, "text")
    .option("--profile <name>", "the profile manifests/ was built with, overriding stack.yaml's (as given to river build --profile)")
    .action(async (pipelinesArg: string, opts: LintCommandOptions) => {
      const profile = parseProfile(opts.profile, io);
      const format = opts.format as OutputFormat;
      if (!OUTPUT_FORMATS.includes(format)) {
        io.stderr(`river lint: unknown --format "${opts.format}"; use one of ${OUTPUT_FORMATS.join(", ")}\n`);
        throw new CliExit(2);
      }
      const { lintStack } = await import("../../stack/lint.ts");
      const input = { ...(await readInput(pipelinesArg, opts.out, io)), ...(profile ? { profile } : {}) };
      const result = await lintStack(input);
      const texts = sourceTexts(input);
      // A line holding a plaintext credential is not printed under its finding: CI logs must not repeat it.
      for (const d of result.diagnostics) if (d.code === "LINT_PLAINTEXT_SECRET" || d.code === "STACK_PLAINTEXT_SECRET") texts.delete(d.filename);
      io.stdout(renderDiagnostics(result.diagnostics, { format, texts }));
      if (format === "text") {
        for (const d of result.drift) {
          const name = input.outLabel + d.path;
          io.stdout(unifiedDiff(d.actual ?? "", d.expected ?? "", d.actual === undefined ? "/dev/null" : `a/${name}`, d.expected === undefined ? "/dev/null" : `b/${name}`));
        }
      }
      const errors = result.diagnostics.filter((d) => d.severity === "error").length;
      if (format === "text") io.stdout(errors === 0 ? `river lint: ok (${input.pipelines.length} pipeline file(s), ${input.existing.size} file(s) in ${input.outLabel})\n` : `river lint: ${errors} problem(s)\n`);
      if (errors > 0) throw new CliExit(1);
    });
}
