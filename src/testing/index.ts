/**
 * `river/testing`: property-testing helpers for relabel rules. fast-check arbitraries for the targets Alloy's
 * discovery.kubernetes produces, and loaders that turn a pipeline file's relabel component into a function.
 */
export {
  annotationValue,
  dnsLabel,
  dnsSubdomain,
  kubernetesPod,
  kubernetesPodTarget,
  kubernetesPodTargets,
  labelKey,
  labelValue,
  namespaceName,
  portName,
  podTargets,
  sanitizeLabelName,
  type Pod,
  type PodContainer,
  type PodOptions,
  type PodOwner,
  type PodPort,
} from "./kubernetes.ts";
export { applyRules, loadRelabelRules, rulesFromSource, type ComponentRules, type LoadedRules } from "./pipeline.ts";
