import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from "yaml";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { format } from "../format/format.ts";
import { SourceFile } from "../source/source-file.ts";
import { SOPS_CONFIG_FILENAME } from "../secret/config.ts";
import { buildStack, type BuildInput } from "./build.ts";
import { isGenerated } from "./emit.ts";
import { SECRET_FILE } from "./generate/index.ts";
import { requiredSecretKeys } from "./options.ts";

/**
 * `river lint` without the file system: everything CI needs to know that manifests/ is what pipelines/ makes, and
 * that nothing in it leaks a secret. The pipeline files are formatted and type-checked, the stack is built in memory
 * and compared file by file with the output directory, the SOPS Secret is present and encrypted, and no file holds a
 * plaintext Secret or credential.
 */
export interface LintResult {
  readonly diagnostics: Diagnostic[];
  /** Unified diffs of the files that differ from what `river build` would write (old = on disk, new = built). */
  readonly drift: { readonly path: string; readonly expected?: string; readonly actual?: string }[];
}

export async function lintStack(input: BuildInput): Promise<LintResult> {
  const diagnostics: Diagnostic[] = [];
  for (const f of input.pipelines) {
    let formatted: string | undefined;
    try {
      formatted = format(f.text, { filename: f.filename });
    } catch {
      continue; // syntax errors: reported by the build's type check below
    }
    if (formatted !== f.text) {
      diagnostics.push({
        severity: "error",
        code: "LINT_UNFORMATTED",
        message: `${f.filename} is not formatted like \`alloy fmt\`; run \`npx river fmt -w ${f.filename}\``,
        filename: f.filename,
        line: firstDifferentLine(f.text, formatted),
        column: 1,
      });
    }
  }

  diagnostics.push(...(await pipelineTests(input)));
  const build = await buildStack(input);
  // Build's warnings that lint treats as errors: a stack without its Secret cannot run.
  for (const d of build.diagnostics) {
    diagnostics.push(d.code === "STACK_NO_SECRET" ? { ...d, severity: "error" } : d);
  }
  const drift: LintResult["drift"][number][] = [];
  if (build.ok) {
    for (const [path, expected] of build.files) {
      const actual = input.existing.get(path);
      if (path === SOPS_CONFIG_FILENAME) {
        if (actual === undefined) drift.push({ path, expected });
        continue;
      }
      if (actual !== expected) drift.push({ path, expected, ...(actual !== undefined ? { actual } : {}) });
    }
    for (const [path, actual] of input.existing) {
      if (!build.files.has(path) && isGenerated(actual)) drift.push({ path, actual });
    }
    for (const d of drift) {
      const what = d.actual === undefined ? "is missing" : d.expected === undefined ? "is no longer generated" : "differs from what river build makes";
      diagnostics.push({
        severity: "error",
        code: "LINT_DRIFT",
        message: `${input.outLabel}${d.path} ${what} of ${input.sourceLabel}; run \`npx river build\` and commit the result`,
        filename: input.outLabel + d.path,
        line: d.actual !== undefined && d.expected !== undefined ? firstDifferentLine(d.actual, d.expected) : 1,
        column: 1,
      });
    }
  }
  for (const [path, text] of input.existing) {
    if (path === SECRET_FILE) continue; // checked by verifySopsSecret
    if (/\.ya?ml$/.test(path)) diagnostics.push(...plaintextSecrets(text, input.outLabel + path, build.options ? secretReferences(build.options) : new Set()));
    else diagnostics.push(...ageKeys(text, input.outLabel + path)); // any other file: a key file, a .env, JSON
  }
  return { diagnostics, drift };
}

/**
 * The pipeline's unit tests (`pipelines/*.test.yaml`, as `river test` runs them), against the pipeline files in
 * memory: a failing test is a lint error at the test, with the command that shows its diff.
 */
async function pipelineTests(input: BuildInput): Promise<Diagnostic[]> {
  if (input.tests === undefined || input.tests.length === 0) return [];
  const { runTestSource, parseTestFile } = await import("../process/index.ts");
  const pipelines = new Map(input.pipelines.map((p) => [p.filename, p.text]));
  const read = (path: string) => {
    const text = pipelines.get(path);
    if (text === undefined) throw new Error("not one of the pipeline's files");
    return new TextEncoder().encode(text);
  };
  const out: Diagnostic[] = [];
  for (const t of input.tests) {
    const run = runTestSource(t.text, t.filename, read);
    out.push(...run.problems);
    const cases = parseTestFile(t.text, t.filename).tests;
    for (const r of run.results) {
      if (r.passed) continue;
      const at = cases.find((c) => c.name === r.name)?.at;
      out.push({
        severity: "error",
        code: "LINT_PIPELINE_TEST",
        message: `pipeline test "${r.name}" fails: ${r.failures.map((f) => f.message).join("; ")}; \`npx river test ${t.filename}\` shows the difference`,
        filename: t.filename,
        line: at?.line ?? 1,
        column: at?.column ?? 1,
      });
    }
  }
  return out;
}

function firstDifferentLine(a: string, b: string): number {
  const la = a.split("\n");
  const lb = b.split("\n");
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  return i + 1;
}

/** Values that name the stack's Secret or its keys: references to credentials, not credentials. */
function secretReferences(options: NonNullable<Awaited<ReturnType<typeof buildStack>>["options"]>): Set<string> {
  return new Set([options.secret.name, ...requiredSecretKeys(options)]);
}

/** Key names that hold a credential when their value is a literal (normalised: lower case, no `_`/`-`). */
const CREDENTIAL_KEYS = /(password|passwd|token|apikey|secretkey|secretaccesskey|accesskeysecret|clientsecret|userkey|privatekey|credentials?|bearer)$/;

/** An age private key in any file. */
function ageKeys(text: string, filename: string): Diagnostic[] {
  const key = text.indexOf("AGE-SECRET-KEY-");
  if (key === -1) return [];
  const source = new SourceFile(filename, text);
  return [diagnosticAt(source, "error", "LINT_PLAINTEXT_SECRET", "an age private key: never commit it; keep it outside the repository (SOPS_AGE_KEY_FILE)", key, key + 15)];
}

/**
 * Plaintext Secrets and credentials in one YAML file: a `kind: Secret` without SOPS metadata, a literal value under a
 * key that names a credential (`adminPassword: hunter2`, `user_key: …`, `token: …`), or an age private key. Values
 * that are file paths (`*_file`), references to the stack's Secret, empty, or SOPS ciphertext are fine.
 */
export function plaintextSecrets(text: string, filename: string, references: ReadonlySet<string>): Diagnostic[] {
  const source = new SourceFile(filename, text);
  const out: Diagnostic[] = ageKeys(text, filename);
  for (const doc of parseAllDocuments(text)) {
    if (!("contents" in doc) || doc.contents === null) continue;
    const root = doc.contents as Node;
    // Ciphertext counts as such only in a SOPS file; elsewhere `ENC[…]` is just text.
    const sops = isMap(root) && root.has("sops");
    if (isMap(root) && root.get("kind") === "Secret" && !sops) {
      const [s, e] = root.range ?? [0, 0];
      out.push(diagnosticAt(source, "error", "LINT_PLAINTEXT_SECRET", "a Kubernetes Secret without SOPS encryption: encrypt it with `river secret set` (or sops) and name it *.enc.yaml", s, Math.min(e, s + 1)));
      continue;
    }
    if (isMap(root) && root.get("kind") === "Secret") {
      // A SOPS Secret: every value under data/stringData must be ciphertext.
      for (const field of ["data", "stringData"]) {
        visit(root.get(field, true) as Node | null, (k, v) => {
          if (typeof v.value === "string" && v.value.startsWith("ENC[")) return;
          const [s, e] = v.range ?? [0, 0];
          out.push(diagnosticAt(source, "error", "LINT_PLAINTEXT_SECRET", `"${k}" of a Secret is not encrypted: set it with \`river secret set\``, s, e));
        });
      }
      continue;
    }
    visit(root, (k, v) => {
      const name = k.toLowerCase().replace(/[_-]/g, "");
      if (!CREDENTIAL_KEYS.test(name) || name.endsWith("file")) return;
      const value = v.value;
      if (typeof value === "number" || typeof value === "bigint") {
        const [s, e] = v.range ?? [0, 0];
        out.push(diagnosticAt(source, "error", "LINT_PLAINTEXT_SECRET", `"${k}" holds a plaintext credential: put it in the SOPS Secret and reference it`, s, e));
        return;
      }
      // Environment references (`${S3_SECRET}`, expanded at run time from a Secret) are not credentials.
      if (typeof value !== "string" || value === "" || (sops && value.startsWith("ENC[")) || references.has(value) || /^\$\{\w+\}$/.test(value)) return;
      const [s, e] = v.range ?? [0, 0];
      out.push(diagnosticAt(source, "error", "LINT_PLAINTEXT_SECRET", `"${k}" holds a plaintext credential: put it in the SOPS Secret and reference it (e.g. a *_file path or existingSecret)`, s, e));
    });
  }
  return out;
}

function visit(node: Node | null, f: (key: string, value: import("yaml").Scalar) => void): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as Node;
      const v = pair.value as Node | null;
      if (isScalar(k) && isScalar(v)) f(String(k.value), v);
      else visit(v, f);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) visit(item as Node, f);
  }
}
