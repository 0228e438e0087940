#!/usr/bin/env node
// Generates src/schema/generated/components.ts and stdlib.ts from the Alloy 1.18 extraction in ../shared/alloy.
//
//   node scripts/gen-schema.mjs [--shared DIR] [--check]
//
// --check compares with the committed files instead of writing them (exit 1 when they differ).
// The output is deterministic: keys are sorted and nothing depends on time or environment.
//
// Where the docs and the Go code disagree the code wins: `codeTypeDiffers` replaces the documented type, `codeOnly`
// items are merged in, and `docsOnly` items / `notInCode` blocks (which Alloy rejects) are left out. The docs'
// Required column is trusted except for the entries of REQUIRED_OVERRIDES, each checked against Alloy's struct tags.

import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "..");
export const OUT_DIR = join(REPO, "src", "schema", "generated");

/** Go element types mapped to the type language, for codeOnly items that only carry a Go type. */
const GO_TYPES = [
  [/^\*?string$/, "string"],
  [/^\*?bool$/, "bool"],
  [/^\*?u?int(8|16|32|64)?$/, "number"],
  [/^\*?float(32|64)$/, "number"],
  [/^\*?time\.Duration$/, "duration"],
  [/^alloytypes\.Secret$/, "secret"],
  [/^alloytypes\.OptionalSecret$/, "string or secret"],
  [/^\[\]discovery\.Target$/, "list(map(string))"],
  [/^discovery\.Target$/, "map(string)"],
  [/^loki\.LogsReceiver$/, "LogsReceiver"],
  [/^storage\.Appendable$/, "MetricsReceiver"],
  [/^pyroscope\.Appendable$/, "ProfilesReceiver"],
  [/^\[\]string$/, "list(string)"],
  [/^map\[string\]string$/, "map(string)"],
];

function typeFromGo(goType) {
  if (!goType) return "any";
  for (const [re, t] of GO_TYPES) if (re.test(goType)) return t;
  return "any";
}

/** Applies the extraction's typeNormalization map to a type string, including inside list(...)/map(...). */
function normalizeType(raw, normalization) {
  if (raw === null || raw === undefined) return undefined;
  let t = String(raw).trim();
  if (normalization[t] !== undefined) return normalization[t];
  const m = /^(list|map|array)\((.*)\)$/.exec(t);
  if (m) {
    const inner = normalizeType(m[2], normalization);
    return `${m[1] === "array" ? "list" : m[1]}(${inner})`;
  }
  return t;
}

/**
 * Go types whose values the docs describe too narrowly: otelcol operators are free-form objects (nested objects
 * allowed), and the blackbox/snmp `TargetsList` converts from any object.
 */
const GO_TYPE_OVERRIDES = {
  "[]otelcol.Operator": "list(map(any))",
  TargetsList: "list(map(any))",
};

function argumentType(arg, normalization) {
  if (arg.goType !== undefined && GO_TYPE_OVERRIDES[arg.goType] !== undefined) return GO_TYPE_OVERRIDES[arg.goType];
  const chosen = arg.codeTypeDiffers ?? arg.typeNormalized ?? arg.type;
  const t = normalizeType(chosen, normalization);
  return t === undefined || t === "" ? typeFromGo(arg.goType) : t;
}

const TRIVIAL_GO = /^(\*?(string|bool|u?int(8|16|32|64)?|float(32|64)|time\.Duration)|\[\](string|time\.Duration)|map\[string\]string|alloytypes\.(Secret|OptionalSecret)|any)$/;

/**
 * Where the docs' Required column is wrong: attributes and blocks the docs mark required that Alloy accepts without
 * (mostly one-of alternatives the docs flag one by one). Every entry was checked against the struct tag in Alloy
 * v1.18.1 (an `alloy:"name,attr|block,optional"` tag), cited in `reason`. The first ones were added for false alarms on
 * real configs; the rest come from checking every flag the docs mark required against the struct tag of the field the
 * component actually decodes into. Flags tagged optional whose Validate() still rejects a missing value stay required:
 * otelcol.receiver.syslog `tcp`/`udp` listen_address, otelcol.receiver.filelog `ordering_criteria > sort_by`
 * sort_type, and otelcol.receiver.awss3 `sqs` queue_url/region (upstream awss3receiver Config.Validate).
 *
 *   component  component or config block name, as in components.json
 *   path       block path inside it: "" is the top level, " > " separates blocks, "*" matches any one block name
 *   kind       "attr" or "block"; name  the attribute or block name
 *
 * The generator fails when an entry matches no flag the docs mark required, so stale entries cannot pile up.
 */
export const REQUIRED_OVERRIDES = [
  {
    component: "loki.source.docker", path: "", kind: "attr", name: "labels", required: false,
    reason: 'loki/source/docker/docker.go: Labels `alloy:"labels,attr,optional"`; converter outputs omit it',
  },
  {
    component: "prometheus.exporter.kafka", path: "", kind: "attr", name: "kafka_uris", required: false,
    reason: 'prometheus/exporter/kafka/kafka.go: KafkaURIs `alloy:"kafka_uris,attr,optional"` (default localhost:9092)',
  },
  {
    component: "otelcol.receiver.filelog", path: "multiline", kind: "attr", name: "line_start_pattern", required: false,
    reason: 'otelcol/config_stanza_receivers.go MultilineConfig: `alloy:"line_start_pattern,attr,optional"`; one of start/end pattern is set',
  },
  {
    component: "otelcol.receiver.filelog", path: "multiline", kind: "attr", name: "line_end_pattern", required: false,
    reason: 'otelcol/config_stanza_receivers.go MultilineConfig: `alloy:"line_end_pattern,attr,optional"`; one of start/end pattern is set',
  },
  {
    component: "otelcol.receiver.file_stats", path: "resource_attributes > * > *", kind: "attr", name: "strict", required: false,
    reason: 'otelcol/receiver/file_stats/types.go FilterArguments (metrics_include/metrics_exclude): `alloy:"strict,attr,optional"`; strict or regexp',
  },
  {
    component: "otelcol.receiver.file_stats", path: "resource_attributes > * > *", kind: "attr", name: "regexp", required: false,
    reason: 'otelcol/receiver/file_stats/types.go FilterArguments (metrics_include/metrics_exclude): `alloy:"regexp,attr,optional"`; strict or regexp',
  },
  {
    component: "http", path: "tls > windows_certificate_filter > server", kind: "attr", name: "system_store", required: false,
    reason: 'service/http/tls.go WindowsServerFilter: `alloy:"system_store,attr,optional"`',
  },
  {
    // Not hit by the corpus: the other half of the store/system_store pair above, same struct.
    component: "http", path: "tls > windows_certificate_filter > server", kind: "attr", name: "store", required: false,
    reason: 'service/http/tls.go WindowsServerFilter: `alloy:"store,attr,optional"`',
  },
  {
    component: "prometheus.remote_write", path: "endpoint > azuread", kind: "block", name: "oauth", required: false,
    reason: 'prometheus/remotewrite/types.go AzureADConfig: `alloy:"oauth,block,optional"`; one of the four auth methods is set',
  },
  {
    component: "prometheus.remote_write", path: "endpoint > azuread", kind: "block", name: "sdk", required: false,
    reason: 'prometheus/remotewrite/types.go AzureADConfig: `alloy:"sdk,block,optional"`; one of the four auth methods is set',
  },
  {
    component: "prometheus.remote_write", path: "endpoint > azuread", kind: "block", name: "workload_identity", required: false,
    reason: 'prometheus/remotewrite/types.go AzureADConfig: `alloy:"workload_identity,block,optional"`; one of the four auth methods is set',
  },
  {
    // Not hit by the corpus (its configs use managed_identity): without it every config using another method is flagged.
    component: "prometheus.remote_write", path: "endpoint > azuread", kind: "block", name: "managed_identity", required: false,
    reason: 'prometheus/remotewrite/types.go AzureADConfig: `alloy:"managed_identity,block,optional"`; one of the four auth methods is set',
  },
  {
    component: "prometheus.exporter.mysql", path: "", kind: "attr", name: "data_source_name", required: false,
    reason: 'prometheus/exporter/mysql/mysql.go Arguments: `alloy:"data_source_name,attr,optional"`; Validate only parses it, and an empty DSN parses',
  },
  {
    component: "prometheus.exporter.postgres", path: "", kind: "attr", name: "data_source_names", required: false,
    reason: 'prometheus/exporter/postgres/postgres.go Arguments: `alloy:"data_source_names,attr,optional"`; may come from POSTGRES_EXPORTER_DATA_SOURCE_NAME',
  },
  {
    component: "database_observability.mysql", path: "prometheus_exporter", kind: "attr", name: "data_source_name", required: false,
    reason: 'database_observability/mysql/component.go PrometheusExporterArguments = prometheus/exporter/mysql Arguments: `alloy:"data_source_name,attr,optional"`',
  },
  {
    component: "database_observability.postgres", path: "prometheus_exporter", kind: "attr", name: "data_source_names", required: false,
    reason: 'database_observability/postgres/component.go PrometheusExporterArguments = prometheus/exporter/postgres Arguments: `alloy:"data_source_names,attr,optional"`; ignored, the component data_source_name is used',
  },
  {
    component: "pyroscope.ebpf", path: "", kind: "attr", name: "targets", required: false,
    reason: 'pyroscope/ebpf/args.go Arguments: `alloy:"targets,attr,optional"`',
  },
  {
    component: "beyla.ebpf", path: "", kind: "block", name: "output", required: false,
    reason: 'beyla/ebpf/args.go Arguments: `alloy:"output,block,optional"`; Validate wants it only when traces are configured',
  },
  {
    component: "loki.rules.kubernetes", path: "rule_selector", kind: "attr", name: "match_labels", required: false,
    reason: 'common/kubernetes/rules.go LabelSelector: `alloy:"match_labels,attr,optional"`; match_labels or match_expression',
  },
  {
    component: "loki.rules.kubernetes", path: "rule_namespace_selector", kind: "attr", name: "match_labels", required: false,
    reason: 'common/kubernetes/rules.go LabelSelector: `alloy:"match_labels,attr,optional"`; match_labels or match_expression',
  },
  {
    component: "mimir.rules.kubernetes", path: "rule_selector", kind: "attr", name: "match_labels", required: false,
    reason: 'common/kubernetes/rules.go LabelSelector: `alloy:"match_labels,attr,optional"`; match_labels or match_expression',
  },
  {
    component: "mimir.rules.kubernetes", path: "rule_namespace_selector", kind: "attr", name: "match_labels", required: false,
    reason: 'common/kubernetes/rules.go LabelSelector: `alloy:"match_labels,attr,optional"`; match_labels or match_expression',
  },
  {
    component: "mimir.alerts.kubernetes", path: "alertmanagerconfig_selector", kind: "attr", name: "match_labels", required: false,
    reason: 'common/kubernetes/rules.go LabelSelector: `alloy:"match_labels,attr,optional"`; match_labels or match_expression',
  },
  {
    component: "mimir.alerts.kubernetes", path: "alertmanagerconfig_namespace_selector", kind: "attr", name: "match_labels", required: false,
    reason: 'common/kubernetes/rules.go LabelSelector: `alloy:"match_labels,attr,optional"`; match_labels or match_expression',
  },
  {
    component: "otelcol.auth.headers", path: "", kind: "block", name: "header", required: false,
    reason: 'otelcol/auth/headers/headers.go Arguments: `alloy:"header,block,optional"`',
  },
  {
    component: "otelcol.exporter.awss3", path: "resource_attrs_to_s3", kind: "attr", name: "s3_bucket", required: false,
    reason: 'otelcol/exporter/awss3/awss3.go ResourceAttrsToS3: `alloy:"s3_bucket,attr,optional"` (only s3_prefix is required)',
  },
  {
    component: "otelcol.exporter.googlecloud", path: "impersonate", kind: "attr", name: "target_principal", required: false,
    reason: 'otelcol/exporter/googlecloud/config/config_googlecloud.go GoogleCloudImpersonateArguments: `alloy:"target_principal,attr,optional"`',
  },
  {
    component: "otelcol.exporter.googlecloud", path: "metric > experimental_wal", kind: "attr", name: "directory", required: false,
    reason: 'otelcol/exporter/googlecloud/config/config_googlecloud.go ExperimentalWAL: `alloy:"directory,attr,optional"`',
  },
  {
    component: "otelcol.processor.attributes", path: "action", kind: "attr", name: "key", required: false,
    reason: 'otelcol/config_attraction.go AttrActionKeyValue: `alloy:"key,attr,optional"`; delete and hash may use pattern instead',
  },
  {
    component: "otelcol.processor.resourcedetection", path: "openshift", kind: "block", name: "tls", required: false,
    reason: 'otelcol/processor/resourcedetection/internal/openshift/config.go Config: `alloy:"tls,block,optional"`',
  },
];

/**
 * Arguments whose value Alloy v1.18.1 checks against a fixed set of strings, with the Go code that rejects anything
 * else (an UnmarshalText or Validate error, or an error when the component is built). components.json has no
 * structured enum data (its "values" keys are arguments named `values`), so this table is curated from the source.
 * Arguments that accept free text (file encodings, kafka encodings, auth schemes, ...) are deliberately absent.
 *
 *   component  component or config block name, or "*" for any; path  block path as in REQUIRED_OVERRIDES ("*" matches
 *              one block name, "**" any path); name  the argument; goType  (optional) the argument's Go type must be this
 *   values     the accepted strings, "" included where Alloy accepts an empty string (usually meaning the default)
 *   ignoreCase Alloy lower- or upper-cases the value before comparing
 *
 * Each entry becomes `oneOf` (and `oneOfIgnoresCase`) on the argument's schema. The generator fails when an entry
 * matches no argument, so a renamed argument can't leave a dead entry behind.
 */
const ROLE_K8S = ["endpoints", "endpointslice", "pod", "service", "node", "ingress"];
const ATTR_ACTIONS = ["insert", "update", "upsert", "delete", "hash", "extract", "convert"];
const OTTL_ERROR_MODES = ["ignore", "silent", "propagate"];
const LOKI_SOURCE_TYPES = ["line", "label", "structured_metadata", "extracted"];
const OTEL_SEVERITIES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"].flatMap((s) => [s, `${s}2`, `${s}3`, `${s}4`]);
export const ENUM_ARGUMENTS = [
  // Config blocks.
  { component: "logging", path: "", name: "level", values: ["", "debug", "info", "warn", "error"], source: "runtime/logging/options.go Level.UnmarshalText" },
  { component: "logging", path: "", name: "format", values: ["", "logfmt", "json"], source: "runtime/logging/options.go Format.UnmarshalText" },
  { component: "logging", path: "", name: "destination", values: ["stderr", "windows_event_log"], source: "runtime/logging/options.go LogDestination.UnmarshalText" },
  { component: "http", path: "tls", name: "client_auth_type", values: ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"], source: "service/http/tls.go ClientAuth.UnmarshalText" },
  { component: "http", path: "tls", name: "min_version", values: ["TLS10", "TLS11", "TLS12", "TLS13"], source: "service/http/tls.go TLSVersion.UnmarshalText" },
  { component: "http", path: "tls", name: "max_version", values: ["TLS10", "TLS11", "TLS12", "TLS13"], source: "service/http/tls.go TLSVersion.UnmarshalText" },
  { component: "import.file", path: "", name: "detector", values: ["", "fsnotify", "poll"], source: "filedetector/detector.go Detector.UnmarshalText" },
  { component: "local.file", path: "", name: "detector", values: ["", "fsnotify", "poll"], source: "filedetector/detector.go Detector.UnmarshalText" },
  // Every common/config TLSConfig (tls_config blocks of discovery.*, prometheus.*, loki.* clients).
  { component: "*", path: "**", name: "min_version", goType: "TLSVersion", values: ["TLS10", "TLS11", "TLS12", "TLS13"], source: "component/common/config/types.go TLSVersion.UnmarshalText (prometheus config.TLSVersions)" },
  // discovery.*
  { component: "discovery.kubernetes", path: "", name: "role", values: ROLE_K8S, source: "prometheus discovery/kubernetes/kubernetes.go Role (unknown Kubernetes SD role)" },
  { component: "discovery.kubernetes", path: "selectors", name: "role", values: ROLE_K8S, source: "prometheus discovery/kubernetes/kubernetes.go SDConfig (invalid role in selectors)" },
  { component: "discovery.aws", path: "", name: "role", values: ["ec2", "ecs", "elasticache", "lightsail", "msk", "rds"], source: "discovery/aws/aws.go AWSArguments.Validate" },
  { component: "discovery.dns", path: "", name: "type", values: ["SRV", "A", "AAAA", "MX", "NS"], ignoreCase: true, source: "discovery/dns/dns.go Arguments.Validate (strings.ToUpper)" },
  { component: "discovery.dockerswarm", path: "", name: "role", values: ["services", "nodes", "tasks"], source: "discovery/dockerswarm/dockerswarm.go Arguments.Validate" },
  { component: "discovery.hetzner", path: "", name: "role", values: ["robot", "hcloud"], source: "discovery/hetzner/hetzner.go Arguments.Validate" },
  { component: "discovery.openstack", path: "", name: "role", values: ["instance", "hypervisor"], source: "discovery/openstack/openstack.go Arguments.Validate" },
  { component: "discovery.openstack", path: "", name: "availability", values: ["public", "internal", "admin"], source: "discovery/openstack/openstack.go Arguments.Validate" },
  { component: "discovery.ovhcloud", path: "", name: "service", values: ["dedicated_server", "vps"], source: "discovery/ovhcloud/ovhcloud.go Arguments.Validate" },
  { component: "discovery.scaleway", path: "", name: "role", values: ["baremetal", "instance"], source: "discovery/scaleway/scaleway.go Role.UnmarshalText" },
  // loki.*
  { component: "loki.process", path: "stage.labels", name: "source_type", values: LOKI_SOURCE_TYPES, source: "loki/process/stages/types.go SourceType.UnmarshalText" },
  { component: "loki.process", path: "stage.truncate > rule", name: "source_type", values: LOKI_SOURCE_TYPES, source: "loki/process/stages/types.go SourceType.UnmarshalText" },
  { component: "loki.process", path: "stage.timestamp", name: "action_on_failure", values: ["", "skip", "fudge"], source: "loki/process/stages/timestamp.go validateTimestampConfig" },
  { component: "loki.process", path: "stage.timestamp", name: "action_on_duplicate_timestamp", values: ["", "keep", "fudge"], source: "loki/process/stages/timestamp.go validateTimestampConfig" },
  { component: "loki.process", path: "stage.geoip", name: "db_type", values: ["", "asn", "city", "country"], source: "loki/process/stages/geoip.go validateGeoIPConfig" },
  { component: "loki.process", path: "stage.metrics > metric.counter", name: "action", values: ["inc", "add"], source: "loki/process/metric/counters.go CounterConfig.Validate" },
  { component: "loki.process", path: "stage.metrics > metric.gauge", name: "action", values: ["set", "inc", "dec", "add", "sub"], source: "loki/process/metric/gauges.go GaugeConfig.Validate" },
  { component: "loki.source.cloudflare", path: "", name: "fields_type", values: ["default", "minimal", "extended", "all", "custom"], source: "loki/source/cloudflare/fields.go FieldsType.UnmarshalText" },
  { component: "loki.source.file", path: "", name: "on_positions_file_error", values: ["skip", "restart_from_end", "restart_from_beginning"], source: "loki/source/file/file.go OnPositionsFileError.UnmarshalText" },
  { component: "loki.source.file", path: "decompression", name: "format", values: ["gz", "z", "bz2"], source: "loki/source/file/file.go CompressionFormat.UnmarshalText" },
  { component: "loki.source.kubernetes_events", path: "", name: "log_format", values: ["logfmt", "json"], source: "loki/source/kubernetes_events/kubernetes_events.go Arguments.Validate" },
  { component: "loki.source.syslog", path: "listener", name: "protocol", values: ["tcp", "udp"], source: "loki/source/syslog/types.go ListenerConfig.Validate" },
  { component: "loki.source.syslog", path: "listener", name: "syslog_format", values: ["rfc5424", "rfc3164", "raw"], source: "loki/source/syslog/config/config.go SyslogFormat.UnmarshalText" },
  { component: "faro.receiver", path: "", name: "log_format", values: ["", "logfmt", "json"], source: "faro/receiver/arguments.go LogFormat.UnmarshalText" },
  { component: "faro.receiver", path: "server > rate_limiting", name: "strategy", values: ["", "global", "per_app"], source: "faro/receiver/arguments.go RateLimitingStrategy.UnmarshalText" },
  // prometheus.*
  { component: "prometheus.remote_write", path: "endpoint", name: "protobuf_message", values: ["prometheus.WriteRequest", "io.prometheus.write.v2.Request"], source: "prometheus/remotewrite/types.go EndpointOptions.Validate (remote.WriteMessageType.Validate)" },
  { component: "prometheus.write.queue", path: "endpoint", name: "protobuf_message", values: ["prometheus.WriteRequest", "io.prometheus.write.v2.Request"], source: "prometheus/write/queue/types.go RemoteWriteProtoMsg.UnmarshalText" },
  { component: "prometheus.scrape", path: "", name: "metric_name_validation_scheme", values: ["utf8", "legacy"], source: "prometheus/scrape/scrape.go Arguments.Validate" },
  { component: "prometheus.scrape", path: "", name: "metric_name_escaping_scheme", values: ["", "allow-utf-8", "underscores", "dots", "values"], source: "prometheus/scrape/scrape.go Arguments.Validate" },
  { component: "prometheus.exporter.snmp", path: "", name: "config_merge_strategy", values: ["replace", "merge"], source: "prometheus/exporter/snmp/snmp.go Arguments.Validate" },
  // otelcol.*
  { component: "*", path: "**", name: "compression", goType: "CompressionType", values: ["", "gzip", "zlib", "deflate", "snappy", "zstd", "none"], source: "otelcol/config_compression.go CompressionType.UnmarshalText" },
  { component: "*", path: "**", name: "compression", goType: "otelcol.CompressionType", values: ["", "gzip", "zlib", "deflate", "snappy", "zstd", "none"], source: "otelcol/config_compression.go CompressionType.UnmarshalText" },
  { component: "*", path: "**", name: "min", goType: "SeverityLevel", values: OTEL_SEVERITIES, source: "otelcol/config_filter.go SeverityLevel.UnmarshalText" },
  { component: "*", path: "**", name: "error_mode", goType: "ottl.ErrorMode", values: OTTL_ERROR_MODES, ignoreCase: true, source: "upstream pkg/ottl ErrorMode.UnmarshalText (strings.ToLower)" },
  { component: "otelcol.processor.tail_sampling", path: "**", name: "error_mode", goType: "ErrorMode", values: OTTL_ERROR_MODES, ignoreCase: true, source: "otelcol/processor/tail_sampling/types.go ErrorMode.UnmarshalText (strings.ToLower)" },
  { component: "otelcol.processor.transform", path: "*", name: "context", values: ["resource", "scope", "span", "spanevent", "metric", "datapoint", "log"], ignoreCase: true, source: "otelcol/processor/transform/transform.go ContextID.UnmarshalText (strings.ToLower)" },
  { component: "otelcol.exporter.syslog", path: "", name: "protocol", values: ["rfc5424", "rfc3164"], source: "component/common/config/types.go SysLogFormat.UnmarshalText" },
  { component: "otelcol.receiver.syslog", path: "", name: "protocol", values: ["rfc5424", "rfc3164"], source: "component/common/config/types.go SysLogFormat.UnmarshalText" },
  { component: "otelcol.receiver.splunkhec", path: "", name: "splitting", values: ["none", "line"], source: "otelcol/receiver/splunkhec/splunkhec.go SplittingStrategy.UnmarshalText" },
  { component: "otelcol.connector.spanmetrics", path: "", name: "aggregation_temporality", values: ["CUMULATIVE", "DELTA"], source: "otelcol/connector/spanmetrics/spanmetrics.go Arguments.Validate" },
  { component: "otelcol.processor.span", path: "status", name: "code", values: ["Ok", "Error", "Unset"], source: "otelcol/processor/span/span.go Arguments.Validate (ptrace status code names)" },
  { component: "otelcol.auth.headers", path: "header", name: "action", values: ["insert", "update", "upsert", "delete"], ignoreCase: true, source: "otelcol/auth/headers/headers.go Action.UnmarshalText (strings.ToLower)" },
  { component: "otelcol.exporter.debug", path: "", name: "verbosity", values: ["basic", "normal", "detailed"], ignoreCase: true, source: "otelcol/exporter/debug/debug.go convertVerbosity (strings.ToLower)" },
  { component: "otelcol.processor.attributes", path: "action", name: "action", values: ATTR_ACTIONS, ignoreCase: true, source: "otelcol/config_attraction.go, checked by upstream internal/coreinternal/attraction NewAttrProc (strings.ToLower)" },
  { component: "otelcol.receiver.filelog", path: "", name: "start_at", values: ["beginning", "end"], source: "otelcol/receiver/filelog/filelog.go, checked by upstream pkg/stanza fileconsumer Config.Build" },
];

function segmentsMatch(p, s) {
  if (p.length === 0) return s.length === 0;
  if (p[0] === "**") return segmentsMatch(p.slice(1), s) || (s.length > 0 && segmentsMatch(p, s.slice(1)));
  return s.length > 0 && (p[0] === "*" || p[0] === s[0]) && segmentsMatch(p.slice(1), s.slice(1));
}

/** The ENUM_ARGUMENTS entry for an argument, if any; records which entries were used in ctx.usedEnums. */
function enumFor(ctx, path, arg) {
  for (const [i, e] of ENUM_ARGUMENTS.entries()) {
    if (e.component !== "*" && e.component !== ctx.owner) continue;
    if (e.name !== arg.name || (e.goType !== undefined && e.goType !== arg.goType)) continue;
    if (!segmentsMatch(splitPath(e.path), splitPath(path))) continue;
    ctx.usedEnums?.add(i);
    return e;
  }
  return undefined;
}

function pathMatches(pattern, path) {
  const p = splitPath(pattern);
  const s = splitPath(path);
  return p.length === s.length && p.every((seg, i) => seg === "*" || seg === s[i]);
}

/** Whether a flag the docs mark required stays required; records which overrides were used in ctx.used. */
function docsRequired(ctx, kind, path, name) {
  let required = true;
  for (const [i, o] of REQUIRED_OVERRIDES.entries()) {
    if (o.component !== ctx.owner || o.kind !== kind || o.name !== name || !pathMatches(o.path, path)) continue;
    ctx.used?.add(i);
    required = o.required;
  }
  return required;
}

function argumentSchema(arg, normalization, ctx, path) {
  const out = { type: argumentType(arg, normalization) };
  if (arg.required === true && docsRequired(ctx, "attr", path, arg.name)) out.required = true;
  if (typeof arg.default === "string") out.default = arg.default;
  if (arg.deprecated === true) out.deprecated = true;
  if (arg.goType && !TRIVIAL_GO.test(arg.goType)) out.goType = arg.goType;
  const e = enumFor(ctx, path, arg);
  if (e !== undefined) {
    out.oneOf = e.values;
    if (e.ignoreCase === true) out.oneOfIgnoresCase = true;
  }
  return out;
}

function emptyBlock() {
  return { arguments: {}, blocks: {} };
}

function splitPath(path) {
  return path === "" ? [] : path.split(" > ").map((s) => s.trim());
}

/** Finds (creating implied parents) the node for a block path. */
function nodeAt(root, segments, create) {
  let node = root;
  for (const seg of segments) {
    let next = node.blocks[seg];
    if (next === undefined) {
      if (!create) return undefined;
      next = emptyBlock();
      node.blocks[seg] = next;
    }
    node = next;
  }
  return node;
}

function applyBlockFlags(node, block, ctx) {
  const segs = splitPath(block.path);
  const parent = segs.slice(0, -1).join(" > ");
  if (block.required === true && docsRequired(ctx, "block", parent, segs[segs.length - 1])) node.required = true;
  if (typeof block.repeatable === "boolean") node.repeatable = block.repeatable;
  if (block.labeled === true) node.labeled = true;
  if (typeof block.enum === "string") node.enum = block.enum;
  if (typeof block.childrenSameAs === "string") node.childrenOf = block.childrenSameAs;
  if (Array.isArray(block.allowedChildBlocks)) node.allowedChildren = [...block.allowedChildBlocks].sort();
  if (typeof block.body === "string") node.body = block.body;
}

function deepCopy(v) {
  return JSON.parse(JSON.stringify(v));
}

/** Builds the nested block tree of one component or config block. */
export function buildBlockTree(entry, normalization, ctx = {}) {
  const docsOnly = entry.docsOnly ?? {};
  const dropArgs = new Set(docsOnly.arguments ?? []);
  const dropBlockArgs = new Set(docsOnly.blockArguments ?? []);
  const dropBlocks = new Set(docsOnly.blocks ?? []);
  const codeOnly = entry.codeOnly ?? {};

  const root = emptyBlock();
  for (const arg of entry.arguments ?? []) {
    if (dropArgs.has(arg.name)) continue;
    root.arguments[arg.name] = argumentSchema(arg, normalization, ctx, "");
  }
  for (const arg of codeOnly.arguments ?? []) root.arguments[arg.name] = argumentSchema(arg, normalization, ctx, "");

  const blocks = [...(entry.blocks ?? []), ...(codeOnly.blocks ?? [])];
  // Parents before children, so flags of a documented parent are not lost.
  blocks.sort((a, b) => splitPath(a.path).length - splitPath(b.path).length);
  const sameAs = [];
  for (const block of blocks) {
    if (block.notInCode === true || dropBlocks.has(block.path)) continue;
    const node = nodeAt(root, splitPath(block.path), true);
    applyBlockFlags(node, block, ctx);
    for (const arg of block.arguments ?? []) {
      if (dropBlockArgs.has(`${block.path} :: ${arg.name}`)) continue;
      node.arguments[arg.name] = argumentSchema(arg, normalization, ctx, block.path);
    }
    if (typeof block.sameAs === "string") sameAs.push([node, block.sameAs]);
  }
  for (const arg of codeOnly.blockArguments ?? []) {
    const node = nodeAt(root, splitPath(arg.block), true);
    node.arguments[arg.name] = argumentSchema(arg, normalization, ctx, arg.block);
  }
  // "Same as X": fill in whatever the docs did not repeat.
  for (const [node, path] of sameAs) {
    const src = nodeAt(root, splitPath(path), false);
    if (src === undefined) continue;
    for (const [k, v] of Object.entries(src.arguments)) if (node.arguments[k] === undefined) node.arguments[k] = deepCopy(v);
    for (const [k, v] of Object.entries(src.blocks)) if (node.blocks[k] === undefined) node.blocks[k] = deepCopy(v);
  }
  return root;
}

function exportsOf(entry, normalization) {
  const out = {};
  for (const e of entry.exports ?? []) out[e.name] = argumentType(e, normalization);
  for (const e of entry.codeOnly?.exports ?? []) out[e.name] = argumentType(e, normalization);
  return out;
}

/** JSON with sorted object keys (arrays keep their order). */
function stable(value) {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = stable(value[k]);
    return out;
  }
  return value;
}

function literal(value) {
  return JSON.stringify(stable(value));
}

export function generateComponents(components) {
  const norm = components.typeNormalization ?? {};
  const used = new Set();
  const usedEnums = new Set();
  const lines = [];
  lines.push("// Code generated by scripts/gen-schema.mjs from ../shared/alloy/components.json. DO NOT EDIT.");
  lines.push(`// Alloy ${components.alloyVersion}: ${components.source}`);
  lines.push("");
  lines.push('import type { ComponentSchema, ConfigBlockSchema } from "../model.ts";');
  lines.push("");
  lines.push(`export const ALLOY_VERSION = ${JSON.stringify(components.alloyVersion)};`);
  lines.push("");
  lines.push("/** Every Alloy component, by name. */");
  lines.push("export const COMPONENTS: Readonly<Record<string, ComponentSchema>> = {");
  for (const name of Object.keys(components.components).sort()) {
    const c = components.components[name];
    const tree = buildBlockTree(c, norm, { owner: name, used, usedEnums });
    const schema = { stability: c.stability, doc: c.doc, exports: exportsOf(c, norm), ...tree };
    lines.push(`  ${JSON.stringify(name)}: ${literal(schema)},`);
  }
  lines.push("};");
  lines.push("");
  lines.push("/** Config blocks (logging, tracing, http, remotecfg, livedebugging, declare, argument, export, foreach, import.*). */");
  lines.push("export const CONFIG_BLOCKS: Readonly<Record<string, ConfigBlockSchema>> = {");
  for (const name of Object.keys(components.configBlocks).sort()) {
    const c = components.configBlocks[name];
    const tree = buildBlockTree(c, norm, { owner: name, used, usedEnums });
    const schema = { stability: c.stability, exports: exportsOf(c, norm), ...tree };
    if (c.labeled === true) schema.labeled = true;
    if (typeof c.body === "string") schema.body = c.body;
    lines.push(`  ${JSON.stringify(name)}: ${literal(schema)},`);
  }
  lines.push("};");
  lines.push("");
  const unused = REQUIRED_OVERRIDES.filter((_, i) => !used.has(i));
  if (unused.length > 0) {
    const list = unused.map((o) => `${o.component} [${o.path}] ${o.kind} ${o.name}`).join(", ");
    throw new Error(`gen-schema: REQUIRED_OVERRIDES entries match no flag the docs mark required (remove or fix them): ${list}`);
  }
  const unusedEnums = ENUM_ARGUMENTS.filter((_, i) => !usedEnums.has(i));
  if (unusedEnums.length > 0) {
    const list = unusedEnums.map((e) => `${e.component} [${e.path}] ${e.name}${e.goType !== undefined ? ` (${e.goType})` : ""}`).join(", ");
    throw new Error(`gen-schema: ENUM_ARGUMENTS entries match no argument (remove or fix them): ${list}`);
  }
  lines.push("/** Docs spellings of types and what they mean (from the extraction's typeNormalization). */");
  lines.push(`export const TYPE_SPELLINGS: Readonly<Record<string, string>> = ${literal(norm)};`);
  lines.push("");
  return lines.join("\n");
}

export function generateStdlib(stdlib) {
  const entries = {};
  for (const name of Object.keys(stdlib.functions).sort()) {
    const f = stdlib.functions[name];
    if (f.kind === "constant") {
      entries[name] = { kind: "constant", type: f.type ?? "any" };
      continue;
    }
    entries[name] = {
      kind: "function",
      params: (f.params ?? []).map((p) => {
        const out = { name: p.name, type: p.type };
        if (p.optional === true) out.optional = true;
        if (p.variadic === true) out.variadic = true;
        return out;
      }),
      returns: f.returns ?? "any",
      stability: f.stability,
    };
  }
  const aliases = {};
  for (const name of Object.keys(stdlib.deprecatedAliases ?? {}).sort()) aliases[name] = stdlib.deprecatedAliases[name].replacement;
  const lines = [];
  lines.push("// Code generated by scripts/gen-schema.mjs from ../shared/alloy/stdlib.json. DO NOT EDIT.");
  lines.push(`// Alloy ${stdlib.alloyVersion}: ${stdlib.source}`);
  lines.push("");
  lines.push('import type { Stdlib } from "../model.ts";');
  lines.push("");
  lines.push("export const STDLIB: Stdlib = {");
  lines.push(`  entries: {`);
  for (const name of Object.keys(entries)) lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(entries[name])},`);
  lines.push("  },");
  lines.push(`  deprecatedAliases: ${JSON.stringify(aliases)},`);
  lines.push(`  topLevel: ${JSON.stringify([...(stdlib.topLevelIdentifiers ?? [])].sort())},`);
  lines.push("};");
  lines.push("");
  return lines.join("\n");
}

/** Generates both modules from a ../shared directory; returns {filename: text}. */
export function generate(sharedDir) {
  const components = JSON.parse(readFileSync(join(sharedDir, "alloy", "components.json"), "utf8"));
  const stdlib = JSON.parse(readFileSync(join(sharedDir, "alloy", "stdlib.json"), "utf8"));
  return {
    "components.ts": generateComponents(components),
    "stdlib.ts": generateStdlib(stdlib),
  };
}

function mainCli(argv) {
  let shared = resolve(REPO, "..", "shared");
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--shared") shared = resolve(argv[++i] ?? "");
    else if (argv[i] === "--check") check = true;
  }
  if (!existsSync(join(shared, "alloy", "components.json"))) {
    process.stderr.write(`gen-schema: ${join(shared, "alloy", "components.json")} not found (use --shared DIR)\n`);
    return 2;
  }
  const out = generate(shared);
  let differ = 0;
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, text] of Object.entries(out)) {
    const path = join(OUT_DIR, name);
    if (check) {
      const old = existsSync(path) ? readFileSync(path, "utf8") : "";
      if (old !== text) {
        process.stderr.write(`gen-schema: ${path} is out of date\n`);
        differ++;
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path} (${text.length} bytes)\n`);
    }
  }
  return differ > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = mainCli(process.argv.slice(2));
}
