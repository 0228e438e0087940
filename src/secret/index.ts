/**
 * SOPS-encrypted Kubernetes Secrets without the sops binary: reading, checking, creating and updating files in sops'
 * own format (age recipients, AES-256-GCM values, MAC), and `.sops.yaml` creation rules. Pure: no file system; the
 * CLI (src/cli/commands/secret.ts) does the I/O.
 */
export { STACK_SECRET } from "./stack.ts";
export { verifySopsSecret, verifySopsSecretDecrypting, type SopsSecretExpectations, type SopsSecretDecryptOptions } from "./verify.ts";
export { setSopsSecretValues, updateSopsRecipients, rotateSopsDataKey, SOPS_FORMAT_VERSION, type EditResult, type NewSecret, type SetValuesOptions } from "./edit.ts";
export { sopsConfigYaml, parseSopsConfig, creationRuleFor, SOPS_CONFIG_FILENAME, ENC_YAML_PATH_REGEX, type CreationRule, type SopsConfig } from "./config.ts";
export { parseAgeIdentities, isAgeRecipient, ageRecipientProblem } from "./age.ts";
export { KUBERNETES_ENCRYPTED_REGEX, type EncryptionRule } from "./rules.ts";
