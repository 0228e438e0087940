import type { AlloyType } from "../schema/types.ts";
import type { Flow } from "./model.ts";

export interface FlowOf {
  readonly flow: Flow;
  /** Data goes into the value (a receiver or consumer) rather than out of it. */
  readonly pushed: boolean;
}

/** Receivers: a component exports one so that others push data into it. */
const RECEIVERS: Readonly<Record<string, Flow>> = {
  LogsReceiver: "logs",
  MetricsReceiver: "metrics",
  ProfilesReceiver: "profiles",
};

const OTEL_SIGNALS: ReadonlySet<string> = new Set(["logs", "metrics", "traces"]);

/**
 * What flows through a value of type `t` used by `argument` (`forward_to`, `output.logs`), or undefined when the type
 * doesn't tell (`any`: an argument of a module, an opaque component, an unresolved reference). An otelcol consumer
 * takes any signal; which one flows is the name of the argument it is listed in (`output { traces = [...] }`).
 */
export function flowOf(t: AlloyType | undefined, argument: string): FlowOf | undefined {
  if (t === undefined) return undefined;
  switch (t.kind) {
    case "any":
      return undefined;
    case "target":
      return { flow: "targets", pushed: false };
    case "list": {
      const e = t.elem;
      if (e.kind === "target" || e.kind === "map" || e.kind === "object") return { flow: "targets", pushed: false };
      return flowOf(e, argument);
    }
    case "capsule": {
      const received = RECEIVERS[t.name];
      if (received !== undefined) return { flow: received, pushed: true };
      if (t.name === "otelcol.Consumer") {
        const last = argument.slice(argument.lastIndexOf(".") + 1);
        return { flow: OTEL_SIGNALS.has(last) ? (last as Flow) : "otel", pushed: true };
      }
      if (t.name === "otelcol.Handler") return { flow: "auth", pushed: false };
      if (t.name === "RelabelRules") return { flow: "rules", pushed: false };
      return { flow: "value", pushed: false };
    }
    default:
      return { flow: "value", pushed: false };
  }
}
