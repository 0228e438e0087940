/**
 * The stack's one Secret. Alertmanager mounts it and reads the Pushover user key and API token from files; Grafana's
 * `admin.existingSecret` reads both the user and the password key (the chart always reads `userKey` and
 * `passwordKey`). `river build` lists the file in `monitoring/kustomization.yaml` and never writes it; `river secret`
 * creates and checks it.
 */
export const STACK_SECRET = {
  name: "monitoring-secrets",
  namespace: "monitoring",
  /** Relative to the manifests directory. */
  file: "monitoring/secret.enc.yaml",
  keys: ["pushover_user_key", "pushover_api_token", "grafana_admin_user", "grafana_admin_password"],
} as const;
