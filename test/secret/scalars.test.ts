/**
 * What the MAC hashes for plaintext YAML values and decrypted ones: yaml.v3's resolution into Go values and
 * sops.ToBytes. Go's outputs are pinned by hand from its documented behaviour: strconv.ParseInt with base 0,
 * strconv.FormatFloat(f, 'f', -1, 64), and Titlecase booleans.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileEncryptionRule } from "../../src/secret/rules.ts";
import { formatGoFloat, sopsScalarText } from "../../src/secret/scalars.ts";

describe("sopsScalarText (plain YAML scalars as sops hashes them)", () => {
  it.each([
    ["v1", "v1"],
    ["Secret", "Secret"],
    ["true", "True"],
    ["FALSE", "False"],
    ["yes", "yes"],
    ["0x1F", "31"],
    ["0o17", "15"],
    ["017", "15"],
    ["08", "8"],
    ["+5", "5"],
    ["-0b101", "-5"],
    ["1_000", "1000"],
    ["1.50", "1.5"],
    ["1.0", "1"],
    [".5", "0.5"],
    ["1e3", "1000"],
    ["-.INF", "-Inf"],
    [".nan", "NaN"],
    ["2024-01-01", "2024-01-01"],
    ["1.2.3", "1.2.3"],
  ])("%s → %s", (source, hashed) => {
    expect(sopsScalarText(source, true, undefined)).toBe(hashed);
  });

  it("skips nulls, keeps quoted and !!str scalars as they are", () => {
    for (const n of ["~", "null", "NULL", ""]) expect(sopsScalarText(n, true, undefined)).toBeUndefined();
    expect(sopsScalarText("true", false, undefined)).toBe("true");
    expect(sopsScalarText("0x1F", true, "tag:yaml.org,2002:str")).toBe("0x1F");
  });
});

describe("formatGoFloat ('f' format, shortest digits)", () => {
  it("writes Go's forms", () => {
    expect([1e21, 1e-7, -0, 0.1, 123.456, -2.5, 5e-324].map(formatGoFloat)).toEqual([
      "1000000000000000000000",
      "0.0000001",
      "-0",
      "0.1",
      "123.456",
      "-2.5",
      `0.${"0".repeat(323)}5`,
    ]);
  });

  it("round-trips every finite double and never writes an exponent", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = formatGoFloat(x);
        expect(s).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Object.is(Number(s), x) || (x === 0 && Number(s) === 0)).toBe(true);
      }),
    );
  });
});

describe("encryption rules (every key on the path counts)", () => {
  const path = ["stringData", "token"];
  it("apply as sops applies them", () => {
    expect(compileEncryptionRule({ kind: "unencrypted_suffix", value: "_unencrypted" })(path)).toBe(true);
    expect(compileEncryptionRule({ kind: "unencrypted_suffix", value: "_unencrypted" })(["a_unencrypted", "b"])).toBe(false);
    expect(compileEncryptionRule({ kind: "encrypted_suffix", value: "Data" })(path)).toBe(true);
    expect(compileEncryptionRule({ kind: "encrypted_suffix", value: "Data" })(["metadata", "name"])).toBe(false);
    expect(compileEncryptionRule({ kind: "encrypted_regex", value: "^(data|stringData)$" })(path)).toBe(true);
    expect(compileEncryptionRule({ kind: "encrypted_regex", value: "^(data|stringData)$" })(["metadata", "stringData2"])).toBe(false);
    expect(compileEncryptionRule({ kind: "unencrypted_regex", value: "^meta" })(["metadata", "name"])).toBe(false);
    expect(compileEncryptionRule({ kind: "unencrypted_regex", value: "^meta" })(path)).toBe(true);
  });
});
