export type { EntryInput, EntryOutput, ExtractedValue, SimulateOptions, SimulateResult, TraceOutcome, TraceStep } from "./types.ts";
export { simulateProcess, compileStages, runProcess, ProcessConfigError, type CompiledProcess } from "./simulate.ts";
export { SIMULATED_STAGES } from "./build.ts";
