/**
 * From `stage.*` blocks to runnable stages. Every stage Alloy 1.18 has is either simulated or refused by name: a
 * stage that is not simulated (metrics, geoip, windowsevent, eventlogmessage) never passes entries through silently.
 */
import type { BlockStmt } from "../ast/ast.ts";
import { StageArgs, StageConfigError } from "./config.ts";
import type { Stage } from "./pipeline.ts";
import { dropStage, limitStage, matchStage, samplingStage } from "./stages/filters.ts";
import {
  labelDropStage,
  labelKeepStage,
  labelsStage,
  outputStage,
  packStage,
  staticLabelsStage,
  structuredMetadataDropStage,
  structuredMetadataStage,
  tenantStage,
} from "./stages/labels.ts";
import { criStage, dockerStage, jsonStage, logfmtStage, patternStage, regexStage } from "./stages/parsers.ts";
import { multilineStage } from "./stages/streams.ts";
import { decolorizeStage, luhnStage, replaceStage, templateStage, timestampStage, truncateStage } from "./stages/transforms.ts";

type Factory = (args: StageArgs) => Stage;

const FACTORIES: Readonly<Record<string, Factory>> = {
  cri: criStage,
  decolorize: () => decolorizeStage(),
  docker: () => dockerStage(),
  drop: dropStage,
  json: jsonStage,
  label_drop: labelDropStage,
  label_keep: labelKeepStage,
  labels: labelsStage,
  limit: limitStage,
  logfmt: logfmtStage,
  luhn: luhnStage,
  match: (args) => matchStage(args, buildStages),
  multiline: multilineStage,
  output: outputStage,
  pack: packStage,
  pattern: patternStage,
  regex: regexStage,
  replace: replaceStage,
  sampling: samplingStage,
  static_labels: staticLabelsStage,
  structured_metadata: structuredMetadataStage,
  structured_metadata_drop: structuredMetadataDropStage,
  template: templateStage,
  tenant: tenantStage,
  timestamp: timestampStage,
  truncate: (args) => truncateStage(args, (b) => new StageArgs(b)),
};

/** Stages Alloy has that river does not simulate, and why. */
const NOT_SIMULATED: Readonly<Record<string, string>> = {
  metrics: "it only produces Prometheus metrics, which river does not model",
  geoip: "it needs a MaxMind database",
  windowsevent: "it parses Windows event XML, which river does not model",
  eventlogmessage: "it parses Windows event log messages, which river does not model",
};

/** The names of the stages river simulates. */
export const SIMULATED_STAGES: readonly string[] = Object.keys(FACTORIES).map((k) => `stage.${k}`);

/** Builds the stages of `blocks` (other blocks are ignored); throws StageConfigError for a stage it cannot run. */
export function buildStages(blocks: readonly BlockStmt[]): Stage[] {
  const stages: Stage[] = [];
  for (const block of blocks) {
    if (block.name[0] !== "stage") continue;
    const kind = block.name.slice(1).join(".");
    const span = { start: block.start, end: block.namePos + block.name.join(".").length };
    const why = NOT_SIMULATED[kind];
    if (why !== undefined) throw new StageConfigError(`stage.${kind} is not simulated by river: ${why}`, span);
    const factory = FACTORIES[kind];
    if (factory === undefined) throw new StageConfigError(`unknown stage ${JSON.stringify(`stage.${kind}`)}`, span);
    try {
      stages.push(factory(new StageArgs(block)));
    } catch (err) {
      // A template or JMESPath expression nested thousands of levels deep overflows a recursive parser.
      if (err instanceof RangeError && /call stack/.test(err.message)) {
        throw new StageConfigError(`stage.${kind}: an expression nests too deeply for river's simulator`, span);
      }
      throw err;
    }
  }
  return stages;
}
