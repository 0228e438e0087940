/**
 * `river test [paths...]`: runs the pipeline unit tests in `*.test.yaml` files (directories are searched
 * recursively; the default is the current directory). One line per test, a diff of expected and actual output for
 * a failure, a summary `N passed, N failed`; exit 1 on any failure or unusable test file. `--junit FILE` also writes
 * JUnit XML.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { formatDiagnosticLine } from "../../diag/diagnostic.ts";
import { unifiedDiff } from "../diff.ts";
import { expandPaths, readInput, UnreadableInput } from "../files.ts";
import { CliExit, type CliIO } from "../io.ts";
import { renderInputProblems } from "../render.ts";

export interface TestCommandOptions {
  readonly junit?: string;
}

export function registerTest(program: Command, io: CliIO): void {
  program
    .command("test")
    .description("Run pipeline unit tests (*.test.yaml): entries through loki.process / loki.relabel chains, with assertions")
    .argument("[paths...]", "test files or directories to search for *.test.yaml (default: .)")
    .option("--junit <file>", "also write the results as JUnit XML")
    .action(async (paths: string[], options: TestCommandOptions) => {
      await runTestCommand(paths.length > 0 ? paths : ["."], options, io);
    });
}

const isTestFile = (name: string): boolean => /\.test\.ya?ml$/.test(name);

/** Reads a test file or the config it names; the error's message is the reason alone. */
function readFile(path: string, cwd: string): Uint8Array {
  try {
    return readInput(path, cwd);
  } catch (err) {
    if (err instanceof UnreadableInput) throw new Error(err.reason);
    throw err;
  }
}

async function runTestCommand(paths: readonly string[], options: TestCommandOptions, io: CliIO): Promise<void> {
  const { runTestSource } = await import("../../process/test-runner.ts");
  const { junitXml } = await import("../../process/render.ts");
  // Directories are walked as by every command (files.ts): recursively, here for *.test.yaml files.
  const { inputs, problems: unusable } = expandPaths(paths, io.cwd, { recursive: true, match: isTestFile });
  const files = [...new Set(inputs.flatMap((i) => i.files))];
  io.stderr(renderInputProblems("test", unusable));
  if (files.length === 0) {
    io.stderr(`river test: no *.test.yaml files found in ${paths.join(", ")}\n`);
    throw new CliExit(1);
  }
  const results: ReturnType<typeof runTestSource>["results"][number][] = [];
  const problems: ReturnType<typeof runTestSource>["problems"][number][] = [];
  for (const file of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(readFile(file, io.cwd));
    } catch (err) {
      const problem = { path: file, message: err instanceof Error ? err.message : String(err) };
      io.stderr(renderInputProblems("test", [problem]));
      unusable.push(problem);
      continue;
    }
    const run = runTestSource(text, file, (p) => readFile(p, io.cwd));
    problems.push(...run.problems);
    for (const p of run.problems) io.stderr(`${formatDiagnosticLine(p)}\n`);
    for (const r of run.results) {
      results.push(r);
      io.stdout(`${r.passed ? "ok  " : "FAIL"} ${r.file} › ${r.name} (${r.durationMs.toFixed(1)} ms)\n`);
      for (const f of r.failures) {
        io.stdout(`  ${f.message.split("\n").join("\n  ")}\n`);
        if (f.expected !== undefined && f.actual !== undefined) {
          io.stdout(unifiedDiff(f.expected, f.actual, "expected", "actual").replace(/^(?=.)/gm, "    "));
        } else if (f.actual !== undefined) {
          io.stdout(f.actual === "" ? "    (nothing)\n" : f.actual.replace(/^(?=.)/gm, "    "));
        }
      }
    }
  }
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  const broken = new Set(problems.map((p) => p.filename)).size;
  io.stdout(`${passed} passed, ${failed} failed${broken > 0 ? `, ${broken} ${broken === 1 ? "file" : "files"} with problems` : ""}\n`);
  if (options.junit !== undefined) {
    try {
      writeFileSync(resolve(io.cwd, options.junit), junitXml({ results, problems, passed, failed }));
    } catch (err) {
      io.stderr(`river test: cannot write ${options.junit}: ${err instanceof Error ? err.message : String(err)}\n`);
      throw new CliExit(1);
    }
  }
  if (failed > 0 || problems.length > 0 || unusable.length > 0) throw new CliExit(1);
}
