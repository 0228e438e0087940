import { describe, expect, it } from "vitest";
import { TabWriter } from "../../src/format/tabwriter.ts";

/**
 * Feeds text through `write` (layout characters interpreted) and returns the finished output as a string. `finish`
 * always adds the final newline (the printer never ends with one), so inputs here end without one.
 */
function run(input: string): string {
  const tw = new TabWriter(16);
  tw.write(input);
  return new TextDecoder().decode(tw.finish());
}

describe("TabWriter (Go's text/tabwriter as alloy configures it, plus alloy's trimmer)", () => {
  it("pads tab-terminated cells of adjacent lines to the widest cell plus one", () => {
    expect(run("a\tb\nccc\td")).toBe("a   b\nccc d\n");
  });

  it("writes leading empty cells (indentation) as tabs", () => {
    expect(run("\ta\tb\n\tcc\td")).toBe("\ta  b\n\tcc d\n");
  });

  it("discards a column of empty soft (vertical tab) cells", () => {
    expect(run("\va\n\vb")).toBe("a\nb\n");
  });

  it("aligns soft cells like hard ones when they have text", () => {
    expect(run("name\v= 1\nlonger_name\v= 2")).toBe("name        = 1\nlonger_name = 2\n");
  });

  it("ends an alignment block at a form feed", () => {
    expect(run("a\tb\fcccc\td")).toBe("a b\ncccc d\n");
  });

  it("ends an alignment block at a line without the column", () => {
    expect(run("a\tb\nplain\ncccc\td")).toBe("a b\nplain\ncccc d\n");
  });

  it("measures widths in code points and writes UTF-8", () => {
    expect(run("é\tb\nxx\tc")).toBe("é  b\nxx c\n");
    expect(run("😀\ta\nxx\tb")).toBe("😀  a\nxx b\n");
  });

  it("returns the UTF-8 length of what it wrote", () => {
    const tw = new TabWriter();
    expect(tw.text("abc")).toBe(3);
    expect(tw.text("é")).toBe(2);
    expect(tw.text("€")).toBe(3);
    expect(tw.text("😀")).toBe(4);
    expect(tw.escaped("// c")).toBe(4);
    expect(tw.write("x\ty")).toBe(3);
  });

  it("writes a lone surrogate as U+FFFD", () => {
    const tw = new TabWriter();
    tw.text("a\ud800b");
    expect([...tw.finish()]).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62, 0x0a]);
  });

  it("trims trailing spaces and tabs from every line and ends the output with one newline", () => {
    expect(run("a \t\nb  ")).toBe("a\nb\n");
    expect(run("")).toBe("\n");
  });

  it("never trims escaped text or the whitespace written before it", () => {
    const tw = new TabWriter();
    tw.text("x");
    tw.space();
    tw.space();
    tw.escaped("// c  ");
    tw.control(10);
    tw.text("y");
    tw.escaped("/* a  \n  b */");
    tw.space();
    expect(new TextDecoder().decode(tw.finish())).toBe("x  // c  \ny/* a  \n  b */\n");
  });

  it("counts escaped text in its cell's width but not the brackets around it", () => {
    const tw = new TabWriter();
    tw.escaped("ab");
    tw.control(9);
    tw.text("x");
    tw.control(10);
    tw.text("abcd");
    tw.control(9);
    tw.text("y");
    expect(new TextDecoder().decode(tw.finish())).toBe("ab   x\nabcd y\n");
  });

  it("treats an escaped empty text as a non-empty cell (Go tests the cell's byte size)", () => {
    const tw = new TabWriter();
    tw.control(9);
    tw.text("a");
    tw.control(10);
    tw.escaped("");
    tw.control(9);
    tw.text("b");
    // The second line's first cell is not empty, so it is padded with spaces, not a tab.
    expect(new TextDecoder().decode(tw.finish())).toBe("\ta\n b\n");
  });

  it("grows its buffers for large input", () => {
    const line = "key\v= value_with_some_length\n";
    const input = line.repeat(5000) + "x".repeat(100_000);
    const out = run(input);
    expect(out.length).toBe(("key = value_with_some_length\n".repeat(5000) + "x".repeat(100_000) + "\n").length);
    expect(out.endsWith("x\n")).toBe(true);
  });
});
