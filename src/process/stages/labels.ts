/**
 * Stages that move values between the extracted map, the labels, the structured metadata and the line: labels,
 * static_labels, label_drop, label_keep, structured_metadata, structured_metadata_drop, tenant, output, pack.
 *
 * Alloy iterates Go maps here, in random order; where the order shows (structured metadata appended from a
 * config map), river goes by name so that results are deterministic.
 */
import { isValidUtf8LabelName } from "../../relabel/label-names.ts";
import type { StageArgs } from "../config.ts";
import { extractedString, setStructuredMetadata, sortedNames } from "../entry.ts";
import type { Stage } from "../pipeline.ts";
import { goJson, stageRegexp } from "./parsers.ts";

/** A `values` map of label name to source name ("" means the same name), with Alloy's label-name check. */
function labelSources(args: StageArgs, required: boolean): Map<string, string> | undefined {
  const values = args.stringMap("values");
  if (values === undefined) {
    if (required) args.fail("label stage config cannot be empty", "values");
    return undefined;
  }
  const out = new Map<string, string>();
  for (const name of sortedNames(values)) {
    if (!isValidUtf8LabelName(name)) args.fail(`invalid label name: ${name}`, "values");
    const src = values.get(name) as string;
    out.set(name, src === "" ? name : src);
  }
  return out;
}

export function labelsStage(args: StageArgs): Stage {
  const sources = labelSources(args, true) as Map<string, string>;
  const sourceType = args.string("source_type", "extracted") || "extracted";
  if (sourceType !== "extracted" && sourceType !== "structured_metadata") {
    args.fail(`invalid labels source_type: ${sourceType}. Can only be 'extracted' or 'structured_metadata'`, "source_type");
  }
  return {
    name: "stage.labels",
    process(e, emit) {
      for (const [name, src] of sources) {
        if (sourceType === "extracted") {
          if (!e.extracted.has(src)) continue;
          const value = extractedString(e.extracted.get(src));
          if (value !== undefined) e.labels.set(name, value);
        } else {
          const found = e.structuredMetadata.find(([k]) => k === src);
          if (found) e.labels.set(name, found[1]);
        }
      }
      emit(e);
    },
  };
}

export function staticLabelsStage(args: StageArgs): Stage {
  const values = args.stringMap("values");
  if (values === undefined) args.fail("static_labels stage config cannot be empty", "values");
  const set: [string, string][] = [];
  for (const name of sortedNames(values)) {
    if (!isValidUtf8LabelName(name)) args.fail(`invalid label name: ${name}`, "values");
    const value = values.get(name) as string;
    if (value !== "") set.push([name, value]);
  }
  return {
    name: "stage.static_labels",
    process(e, emit) {
      for (const [k, v] of set) e.labels.set(k, v);
      emit(e);
    },
  };
}

export function labelDropStage(args: StageArgs): Stage {
  const values = args.stringList("values") ?? [];
  if (values.length === 0) args.fail("labeldrop stage config cannot be empty", "values");
  return {
    name: "stage.label_drop",
    process(e, emit) {
      for (const v of values) e.labels.delete(v);
      emit(e);
    },
  };
}

export function labelKeepStage(args: StageArgs): Stage {
  const values = new Set(args.stringList("values") ?? []);
  if (values.size === 0) args.fail("labelallow stage config cannot be empty", "values");
  return {
    name: "stage.label_keep",
    process(e, emit) {
      for (const k of [...e.labels.keys()]) if (!values.has(k)) e.labels.delete(k);
      emit(e);
    },
  };
}

export function structuredMetadataStage(args: StageArgs): Stage {
  const sources = labelSources(args, false);
  const regexText = args.string("regex", "");
  const re = regexText === "" ? undefined : stageRegexp(args, "regex", regexText);
  return {
    name: "stage.structured_metadata",
    process(e, emit) {
      const add = (name: string, value: string) => setStructuredMetadata(e, name, value);
      // The order Alloy applies its sources in: later ones overwrite earlier ones of the same name.
      for (const [name, src] of sources ?? []) {
        if (!e.extracted.has(src)) continue;
        const value = extractedString(e.extracted.get(src));
        if (value !== undefined) add(name, value);
      }
      if (re) {
        for (const name of sortedNames(e.extracted)) {
          if (!re.test(name)) continue;
          const value = extractedString(e.extracted.get(name));
          if (value !== undefined) add(name, value);
        }
      }
      const moved: string[] = [];
      for (const [name, src] of sources ?? []) {
        const value = e.labels.get(src);
        if (value === undefined) continue;
        add(name, value);
        moved.push(src);
      }
      for (const m of moved) e.labels.delete(m);
      if (re) {
        for (const name of sortedNames(e.labels)) {
          if (!re.test(name)) continue;
          add(name, e.labels.get(name) as string);
          e.labels.delete(name);
        }
      }
      emit(e);
    },
  };
}

export function structuredMetadataDropStage(args: StageArgs): Stage {
  const values = new Set(args.stringList("values") ?? []);
  if (values.size === 0) args.fail("structured_metadata_drop stage config cannot be empty", "values");
  return {
    name: "stage.structured_metadata_drop",
    process(e, emit) {
      e.structuredMetadata = e.structuredMetadata.filter(([k]) => !values.has(k));
      emit(e);
    },
  };
}

export function tenantStage(args: StageArgs): Stage {
  const label = args.string("label", "");
  const source = args.string("source", "");
  const value = args.string("value", "");
  if (label === "" && source === "" && value === "") args.fail("label, source or value config are required");
  if ([label, source, value].filter((x) => x !== "").length > 1) {
    args.fail("label, source and value are mutually exclusive: you should set source, value or label but not all");
  }
  return {
    name: "stage.tenant",
    process(e, emit) {
      let tenant: string | undefined;
      if (source !== "") tenant = e.extracted.has(source) ? extractedString(e.extracted.get(source)) : undefined;
      else if (label !== "") tenant = e.labels.get(label);
      else tenant = value;
      if (tenant !== undefined && tenant !== "") e.labels.set("__tenant_id__", tenant);
      emit(e);
    },
  };
}

export function outputStage(args: StageArgs): Stage {
  const source = args.string("source", "");
  if (source === "") args.fail("output source value is required if output is specified", "source");
  return {
    name: "stage.output",
    process(e, emit, ctx) {
      const value = e.extracted.has(source) ? extractedString(e.extracted.get(source)) : undefined;
      if (value !== undefined) e.line = value;
      else ctx.skip(e.extracted.has(source) ? `extracted[${JSON.stringify(source)}] is null` : `no extracted value ${JSON.stringify(source)}`);
      emit(e);
    },
  };
}

export function packStage(args: StageArgs): Stage {
  const labels = args.stringList("labels");
  if (labels === undefined) args.fail("missing required attribute \"labels\"");
  const ingestTimestamp = args.bool("ingest_timestamp", true);
  const wanted = new Set(labels);
  return {
    name: "stage.pack",
    process(e, emit, ctx) {
      const packed: [string, string][] = [];
      for (const name of sortedNames(e.extracted)) {
        if (!wanted.has(name)) continue;
        const value = extractedString(e.extracted.get(name));
        if (value !== undefined) packed.push([name, value]);
      }
      const body = packed.map(([k, v]) => `${goJson(k)}:${goJson(v)}`);
      body.push(`"_entry":${goJson(e.line)}`);
      for (const [k] of packed) e.labels.delete(k);
      e.line = `{${body.join(",")}}`;
      if (ingestTimestamp) e.timestamp = ctx.now;
      emit(e);
    },
  };
}
