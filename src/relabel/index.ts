export type {
  DroppedResult,
  KeptResult,
  Labels,
  LabelsInput,
  RelabelAction,
  RelabelMode,
  RelabelOptions,
  RelabelResult,
  RelabelRuleInput,
  RuleProblem,
  TraceStep,
} from "./types.ts";
export { RELABEL_ACTIONS } from "./types.ts";
export { relabel, toLabelMap, type RulesInput } from "./engine.ts";
export {
  compileRules,
  validateRule,
  RelabelRuleError,
  UNKNOWN_VALUE,
  DEFAULT_REGEX,
  DEFAULT_REPLACEMENT,
  DEFAULT_SEPARATOR,
  type CompiledRule,
  type ValidateOptions,
} from "./rule.ts";
export { compileGoRegexp, expandGoTemplate, GoRegexpSyntaxError, type GoMatch, type GoRegexp } from "./go-regexp.ts";
export { goToLower, goToUpper } from "./go-case.ts";
export { hashmod } from "./hashmod.ts";
export {
  compareCodePoints,
  isValidLegacyLabelName,
  isValidRelabelTargetTemplate,
  isValidUtf8LabelName,
} from "./label-names.ts";
export { diffLabels, type LabelChange } from "./trace.ts";
export {
  compileComponent,
  findRelabelComponent,
  foldConstant,
  relabelDiagnostics,
  rulesFromConfig,
  simulateComponent,
  RelabelConfigError,
  type ChainStep,
  type ConfigProblem,
  type ConstantValue,
  type FoldResult,
  type RelabelComponent,
  type RelabelComponentKind,
  type SimulateOptions,
  type TargetSimulation,
  resolveChain,
} from "./config.ts";
