import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A log pipeline over two files of one directory (references cross them), and a metrics one to filter against. */
export const MAIN = `discovery.kubernetes "pods" {
	role = "pod"
}

discovery.relabel "pods" {
	targets = discovery.kubernetes.pods.targets
}

loki.source.file "logs" {
	targets    = discovery.relabel.pods.output
	forward_to = [loki.process.main.receiver]
}

loki.process "main" {
	forward_to = [loki.write.default.receiver]
}

loki.write "default" {
	endpoint {
		url = "http://loki:3100/loki/api/v1/push"
	}
}

prometheus.scrape "self" {
	targets    = [{"__address__" = "localhost:12345"}]
	forward_to = [prometheus.remote_write.prom.receiver]
}

prometheus.remote_write "prom" {
	endpoint {
		url = "http://prometheus:9090/api/v1/write"
	}
}
`;

export const OTHER = `loki.source.api "api" {
	http {
		listen_port = 3500
	}
	forward_to = [loki.write.default.receiver]
}
`;

/** A config importing a module file that declares a custom component. */
export const IMPORTER = `import.file "lib" {
	filename = "lib/mod.alloy"
}

lib.shout "x" {
	text = "hi"
}
`;

export const MODULE = `declare "shout" {
	argument "text" { }

	export "out" {
		value = argument.text.value
	}
}
`;

/** A fresh directory with the fixtures: `logs/` (main.alloy, other.alloy) and `mods/` (main.alloy, lib/mod.alloy). */
export function fixtureDir(): { root: string; logs: string; mods: string } {
  const root = mkdtempSync(join(tmpdir(), "river-lsp-"));
  const logs = join(root, "logs");
  const mods = join(root, "mods");
  mkdirSync(logs);
  mkdirSync(join(mods, "lib"), { recursive: true });
  writeFileSync(join(logs, "main.alloy"), MAIN);
  writeFileSync(join(logs, "other.alloy"), OTHER);
  writeFileSync(join(mods, "main.alloy"), IMPORTER);
  writeFileSync(join(mods, "lib", "mod.alloy"), MODULE);
  return { root, logs, mods };
}
