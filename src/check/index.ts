export { check } from "./check.ts";
export type { CheckInputFile, CheckOptions, CheckResult, ModuleRead } from "./model.ts";
export { validateRelabelRule, RELABEL_ACTIONS, type RuleFields, type RuleProblem } from "./rules/relabel.ts";
export { logqlSelectorError } from "./rules/logql.ts";
export { parseGoDuration } from "./rules/duration.ts";
