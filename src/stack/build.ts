import type { AttributeStmt, BlockStmt, Expr, File, Stmt } from "../ast/ast.ts";
import { walk } from "../ast/walk.ts";
import { unquoteString } from "../syntax/strings.ts";
import { check } from "../check/index.ts";
import { diagnosticAt, hasErrors, type Diagnostic } from "../diag/diagnostic.ts";
import { format } from "../format/format.ts";
import { componentSchema, stdlibEntry } from "../schema/index.ts";
import type { BlockSchema } from "../schema/model.ts";
import { SourceFile } from "../source/source-file.ts";
import { parse } from "../syntax/parse.ts";
import { sopsConfigYaml, SOPS_CONFIG_FILENAME } from "../secret/config.ts";
import { verifySopsSecret } from "../secret/verify.ts";
import { renderGraph } from "../graph/index.ts";
import { isGenerated, renderManifest, renderPipelineDoc } from "./emit.ts";
import { generateStack, RELEASE_NAMES, SECRET_FILE, type PipelineFacts } from "./generate/index.ts";
import { loadStackOptions, requiredSecretKeys, type Profile, type StackOptions } from "./options.ts";
import { chartServices, serviceUrl } from "./services.ts";
import { validateStack } from "./validate.ts";

/**
 * `river build` without the file system: pipelines/ in (the `.alloy` files and stack.yaml as text, and what the
 * output directory holds now), the manifests out as text. Nothing is produced when anything is wrong: the caller
 * writes `files` only when `ok`.
 */
export interface BuildInput {
  /** The pipeline's River files (one config, like `alloy run DIR`), in a stable order: `.alloy` files and the River
   * built from TypeScript pipelines. */
  readonly pipelines: readonly { readonly filename: string; readonly text: string }[];
  /** Problems found while reading the input (a TypeScript pipeline that does not load or build). */
  readonly inputDiagnostics?: readonly Diagnostic[];
  /** The pipeline's unit tests (`*.test.yaml`, run by `river test`), which `river lint` runs too. */
  readonly tests?: readonly { readonly filename: string; readonly text: string }[];
  /** pipelines/stack.yaml, if present. */
  readonly stack?: { readonly filename: string; readonly text: string };
  /** How the pipelines directory is named in the generated headers (e.g. `pipelines/`). */
  readonly sourceLabel: string;
  /** How the output directory is named in diagnostics (e.g. `manifests/`). */
  readonly outLabel: string;
  /** The files under the output directory now (relative path → text); build reads the user's files among them. */
  readonly existing: ReadonlyMap<string, string>;
  /** `--profile`: overrides stack.yaml's `profile`. */
  readonly profile?: Profile;
}

export interface BuildResult {
  readonly ok: boolean;
  readonly diagnostics: Diagnostic[];
  /** Every file build owns, relative path → text (generated files, and .sops.yaml when it had to be created). */
  readonly files: Map<string, string>;
  readonly options?: StackOptions;
}

/** The picture of the pipeline, written beside its HelmRelease. */
export const PIPELINE_DOC = "alloy/pipeline.md";

export async function buildStack(input: BuildInput): Promise<BuildResult> {
  const diagnostics: Diagnostic[] = [];
  const fail = (): BuildResult => ({ ok: false, diagnostics: sortDiagnostics(diagnostics), files: new Map() });

  const { options, diagnostics: optionProblems, input: stackInput } = loadStackOptions(input.stack, input.profile);
  diagnostics.push(...(input.inputDiagnostics ?? []), ...optionProblems);
  if (input.pipelines.length === 0) {
    diagnostics.push({
      severity: "error",
      code: "STACK_NO_PIPELINE",
      message: `no .alloy files in ${input.sourceLabel}: the Alloy pipeline is what the stack ships`,
      filename: input.sourceLabel,
      line: 1,
      column: 1,
    });
  }
  for (const d of check(input.pipelines).diagnostics) diagnostics.push(d); // not push(...): there may be 100,000s
  if (hasErrors(diagnostics)) return fail();

  // Problems found from here on (the pipeline's Loki URL, the generated objects) are all collected before failing.
  const pipeline = pipelineFacts(input.pipelines, options, diagnostics);

  const secretPresent = input.existing.has(SECRET_FILE);
  const files = new Map<string, string>();
  try {
    const stack = generateStack({ options, pipeline, secretPresent });
    for (const f of stack.files) files.set(f.path, renderManifest(f, input.sourceLabel));
    files.set(PIPELINE_DOC, renderPipelineDoc(renderGraph(input.pipelines, "mermaid").text, input.sourceLabel));
    const userFiles = new Set([...input.existing.keys()].filter((p) => !isGenerated(input.existing.get(p) ?? "")));
    const stackFilename = input.stack?.filename ?? `${input.sourceLabel}stack.yaml`;
    diagnostics.push(...(await validateStack(stack, { options, input: stackInput, stackFilename, outLabel: input.outLabel, rendered: files, userFiles })));
  } catch (err) {
    // The options passed their checks, so this is a value of an unexpected shape under `values:` (or a bug in river):
    // say so at the values rather than print a stack trace.
    const at = stackInput?.locate(["values"]);
    diagnostics.push({
      severity: "error",
      code: "STACK_GENERATE",
      message: `cannot generate the stack from these options (${err instanceof Error ? err.message : String(err)}); check the extra values for a null or a value of another shape where the generator reads one, or report it`,
      filename: input.stack?.filename ?? input.sourceLabel,
      line: at?.line ?? 1,
      column: at?.column ?? 1,
    });
    return fail();
  }
  diagnostics.push(...secretProblems(input, options, secretPresent));

  // .sops.yaml is the user's once it exists: written when missing, never rewritten.
  const sopsConfig = input.existing.get(SOPS_CONFIG_FILENAME);
  if (sopsConfig === undefined) {
    if (options.sops.ageRecipients.length > 0) files.set(SOPS_CONFIG_FILENAME, sopsConfigYaml(options.sops.ageRecipients));
    else {
      diagnostics.push({
        severity: "warning",
        code: "STACK_NO_RECIPIENT",
        message: `no ${input.outLabel}${SOPS_CONFIG_FILENAME} and no sops.ageRecipients in stack.yaml: set your age recipient (age-keygen -y key.txt) so that river build writes one`,
        filename: input.stack?.filename ?? input.sourceLabel,
        line: 1,
        column: 1,
      });
    }
  }
  if (hasErrors(diagnostics)) return fail();
  return { ok: true, diagnostics: sortDiagnostics(diagnostics), files, options };
}

function secretProblems(input: BuildInput, options: StackOptions, present: boolean): Diagnostic[] {
  const filename = input.outLabel + SECRET_FILE;
  if (!present) {
    return [
      {
        severity: "warning",
        code: "STACK_NO_SECRET",
        message: `${filename} does not exist: Grafana and Alertmanager need it; create it with \`river secret set KEY\` for each of ${requiredSecretKeys(options).join(", ")}`,
        filename,
        line: 1,
        column: 1,
      },
    ];
  }
  return verifySopsSecret(input.existing.get(SECRET_FILE) ?? "", filename, {
    requiredKeys: requiredSecretKeys(options),
    name: options.secret.name,
    namespace: options.namespace,
    ...(options.sops.ageRecipients.length > 0 ? { recipients: options.sops.ageRecipients } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// The pipeline

const STABILITY_ORDER = ["generally-available", "public-preview", "experimental"] as const;

/**
 * The canonical River of the pipeline (its files formatted like `alloy fmt` and joined as one config), the stability
 * level it needs and the host paths it reads; and the check that its loki.write endpoints push to the Loki Service
 * the stack creates.
 */
function pipelineFacts(
  files: BuildInput["pipelines"],
  options: StackOptions,
  diagnostics: Diagnostic[],
): PipelineFacts {
  const river = files.map((f) => format(f.text)).join("\n");
  let level = 0;
  const strings: string[] = [];
  const lokiPush = `${serviceUrl(chartServices(RELEASE_NAMES, { loki: options.values.loki as Record<string, unknown> | undefined }).loki, options.namespace)}/loki/api/v1/push`;
  const rank = (stability: string, what: string, source: SourceFile, node: { start: number; end: number }) => {
    const r = STABILITY_ORDER.indexOf(stability as (typeof STABILITY_ORDER)[number]);
    if (r === -1) {
      diagnostics.push(
        diagnosticAt(source, "error", "STACK_COMPONENT_STABILITY", `${what} is ${stability}, which the Alloy chart cannot enable through alloy.stabilityLevel`, node.start, node.end),
      );
    } else level = Math.max(level, r);
  };
  for (const f of files) {
    const source = new SourceFile(f.filename, f.text);
    const ast: File = parse(f.text, { filename: f.filename }).file;
    // Components and their nested blocks, with the schema of each, for stability, the Loki URL and literal secrets.
    const visitBody = (body: readonly Stmt[], schema: BlockSchema | undefined, component: string | undefined) => {
      for (const s of body) {
        if (s.kind === "AttributeStmt") {
          const arg = schema && Object.hasOwn(schema.arguments, s.name.name) ? schema.arguments[s.name.name] : undefined;
          if (arg?.type === "secret" && s.value.kind === "LiteralExpr" && s.value.literal === "STRING" && unquoteString(s.value.raw) !== "") {
            diagnostics.push(
              diagnosticAt(
                source,
                "error",
                "STACK_PLAINTEXT_SECRET",
                `${component}: "${s.name.name}" is a literal secret, which would be shipped in plain text in alloy/helmrelease.yaml; read it at run time instead (sys.env("…") with the value from a Secret, or remote.kubernetes.secret)`,
                s.value.start,
                s.value.end,
              ),
            );
          }
          continue;
        }
        const name = s.name.join(".");
        if (component === undefined) {
          const comp = componentSchema(name);
          if (comp !== undefined) {
            rank(comp.stability, `the component ${name}`, source, s);
            if (name === "loki.write") checkLokiWrite(s, source, lokiPush, diagnostics);
          }
          visitBody(s.body, comp, comp ? name : undefined);
        } else {
          visitBody(s.body, schema && Object.hasOwn(schema.blocks, name) ? schema.blocks[name] : undefined, component);
        }
      }
    };
    visitBody(ast.body, undefined, undefined);
    walk(ast, (n) => {
      if (n.kind === "LiteralExpr" && n.literal === "STRING") strings.push(unquoteString(n.raw));
      if (n.kind === "CallExpr") {
        const name = dottedName(n.value);
        const entry = name === undefined ? undefined : stdlibEntry(name);
        if (entry?.kind === "function") rank(entry.stability, `the function ${name}`, source, n);
      }
    });
  }
  const reads = (prefix: string) => strings.some((s) => s.startsWith(prefix));
  return {
    river,
    stabilityLevel: STABILITY_ORDER[level] as PipelineFacts["stabilityLevel"],
    mounts: { varlog: reads("/var/log"), dockercontainers: reads("/var/lib/docker/containers") },
  };
}

/** `a.b.c` for an identifier or a chain of field accesses (a stdlib function's name), else undefined. */
function dottedName(e: Expr): string | undefined {
  if (e.kind === "IdentifierExpr") return e.ident.name;
  if (e.kind === "AccessExpr") {
    const head = dottedName(e.value);
    return head === undefined ? undefined : `${head}.${e.name.name}`;
  }
  return undefined;
}

function checkLokiWrite(block: BlockStmt, source: SourceFile, expected: string, diagnostics: Diagnostic[]): void {
  for (const endpoint of block.body) {
    if (endpoint.kind !== "BlockStmt" || endpoint.name.join(".") !== "endpoint") continue;
    const url = endpoint.body.find((s): s is AttributeStmt => s.kind === "AttributeStmt" && s.name.name === "url");
    if (url === undefined) continue;
    if (url.value.kind !== "LiteralExpr" || url.value.literal !== "STRING") {
      diagnostics.push(
        diagnosticAt(source, "warning", "STACK_LOKI_URL", `the loki.write URL is computed, so river cannot check that it is the stack's Loki (${expected})`, url.start, url.end),
      );
      continue;
    }
    const value = unquoteString(url.value.raw);
    if (value !== expected) {
      diagnostics.push(
        diagnosticAt(
          source,
          "error",
          "STACK_LOKI_URL",
          `loki.write pushes to ${value}, but the stack's Loki receives at ${expected} (the Service of the loki chart's templates/monolithic/service.yaml)`,
          url.value.start,
          url.value.end,
        ),
      );
    }
  }
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : a.line - b.line || a.column - b.column));
}
