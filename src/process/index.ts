export type {
  DropRecord,
  EntryInput,
  EntryOutput,
  ExtractedValue,
  SimulateOptions as ProcessOptions,
  SimulateResult as ProcessResult,
  TraceOutcome as ProcessTraceOutcome,
  TraceStep as ProcessTraceStep,
} from "./types.ts";
export { simulateProcess, compileStages, runProcess, ProcessConfigError, SimulationInputError, type CompiledProcess } from "./simulate.ts";
export { simulateChain, type ChainInput, type ChainResult } from "./components.ts";
export { SIMULATED_STAGES } from "./build.ts";
export { parseTestFile, type Assertion, type EntryMatch, type MapMatch, type TestCase, type TestFile, type TestInput } from "./testfile.ts";
export { runTestSource, entryMatches, type AssertionFailure, type ReadFile, type TestResult, type TestRun } from "./test-runner.ts";
export { entryLine, junitXml, renderTrace } from "./render.ts";
