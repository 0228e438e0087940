import type { AlertMatch, Priority, StackOptions } from "../options.ts";

/** Where Alertmanager finds the files of a Secret listed in `alertmanagerSpec.secrets` (prometheus-operator's mount). */
export function alertmanagerSecretPath(secretName: string, key: string): string {
  return `/etc/alertmanager/secrets/${secretName}/${key}`;
}

export const NULL_RECEIVER = "null";
export const RECEIVERS: Readonly<Record<Priority, string>> = { critical: "pushover-critical", warning: "pushover-warning" };
/** One-shot events (Flux's): the warning priority, no "resolved" notification. */
export const EVENTS_RECEIVER = "pushover-events";

/** A matcher in Alertmanager's UTF-8 matcher syntax, the value always double-quoted. */
function matcher(label: string, op: "=" | "=~", value: string): string {
  return `${label}${op}${JSON.stringify(value)}`;
}

function anyOf(values: readonly string[]): string {
  return values.length === 1 ? (values[0] as string) : values.join("|");
}

/**
 * The routes of the design's tree, in evaluation order (Alertmanager takes the first match among siblings):
 * silenced alerts → null; alerts named for a priority (one route per severity qualifier, then the rest together);
 * one-shot events (Flux's `severity="error"`); then everything else by its severity label. The root receiver is null, so unmatched severities (info) go nowhere.
 */
export function alertRoutes(options: StackOptions): Record<string, unknown>[] {
  const a = options.alerting;
  const routes: Record<string, unknown>[] = [];
  if (a.silenced.length > 0) {
    routes.push({ receiver: NULL_RECEIVER, matchers: [nameMatcher(a.silenced)] });
  }
  for (const priority of ["critical", "warning"] as const) {
    const byName = a[priority];
    const plain = byName.filter((m) => m.severity === undefined).map((m) => m.alert);
    const qualified = byName.filter((m): m is Required<AlertMatch> => m.severity !== undefined);
    for (const m of qualified) {
      routes.push({ receiver: RECEIVERS[priority], matchers: [matcher("alertname", "=", m.alert), matcher("severity", "=", m.severity)] });
    }
    if (plain.length > 0) routes.push({ receiver: RECEIVERS[priority], matchers: [nameMatcher(plain)] });
  }
  if (a.events.length > 0) {
    routes.push({ receiver: EVENTS_RECEIVER, matchers: [a.events.length === 1 ? matcher("severity", "=", a.events[0] as string) : matcher("severity", "=~", anyOf(a.events))] });
  }
  for (const priority of ["critical", "warning"] as const) {
    const severities = a.severities[priority];
    if (severities.length === 0) continue;
    routes.push({
      receiver: RECEIVERS[priority],
      matchers: [severities.length === 1 ? matcher("severity", "=", severities[0] as string) : matcher("severity", "=~", anyOf(severities))],
    });
  }
  return routes;
}

function nameMatcher(names: readonly string[]): string {
  return names.length === 1 ? matcher("alertname", "=", names[0] as string) : matcher("alertname", "=~", anyOf([...names].sort()));
}

/**
 * kube-prometheus-stack's `alertmanager.config`: the design's route tree to Pushover. The user key and token are read
 * from the files of the mounted Secret (`*_file`, Alertmanager ≥ 0.26; kps 88 runs 0.34), never written inline.
 * Pushover's default priority is 2 (emergency), so each receiver sets its own. Lists replace the chart's defaults in
 * Helm, so the null receiver is declared here; the chart's inhibit rules (a map key we do not set) stay.
 */
export function alertmanagerConfig(options: StackOptions): Record<string, unknown> {
  const s = options.secret;
  const pushover = (name: string, priority: Priority, sendResolved: boolean) => ({
    name,
    pushover_configs: [
      {
        user_key_file: alertmanagerSecretPath(s.name, s.keys.pushoverUserKey),
        token_file: alertmanagerSecretPath(s.name, s.keys.pushoverApiToken),
        priority: String(options.alerting.priorities[priority]),
        send_resolved: sendResolved,
      },
    ],
  });
  return {
    route: {
      receiver: NULL_RECEIVER,
      group_by: [...options.alerting.groupBy],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: options.alerting.repeatInterval,
      routes: alertRoutes(options),
    },
    receivers: [
      { name: NULL_RECEIVER },
      pushover(RECEIVERS.critical, "critical", true),
      pushover(RECEIVERS.warning, "warning", true),
      // Flux sends an event once, without an end: Alertmanager would report it "resolved" after resolve_timeout.
      ...(options.alerting.events.length > 0 ? [pushover(EVENTS_RECEIVER, "warning", false)] : []),
    ],
  };
}

/**
 * Problems with the routing options that Alertmanager would accept silently: an alert named for both priorities
 * without telling them apart by severity (the first route would always win).
 */
export function routingProblems(options: StackOptions): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const entries = (["critical", "warning"] as const).flatMap((priority) =>
    options.alerting[priority].map((m, i) => ({ priority, i, m })),
  );
  entries.forEach((b, j) => {
    const a = entries.slice(0, j).find(
      (a) => a.m.alert === b.m.alert && (a.m.severity === undefined || b.m.severity === undefined || a.m.severity === b.m.severity),
    );
    if (a !== undefined) {
      problems.push({
        path: ["alerting", b.priority, b.i],
        message: `alert "${b.m.alert}" is already routed to ${a.priority}; tell the routes apart by severity or list the alert once`,
      });
    }
  });
  options.alerting.silenced.forEach((name, i) => {
    const routed = entries.find((e) => e.m.alert === name);
    if (routed) problems.push({ path: ["alerting", "silenced", i], message: `alert "${name}" is both silenced and routed to ${routed.priority}` });
  });
  return problems;
}
