import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { readSecretFromTty, SecretCancelled, type SecretInput } from "../../src/cli/tty-secret.ts";

/** A terminal double: records raw-mode switches; `type` delivers keystrokes as the terminal would. */
class FakeTty extends EventEmitter implements SecretInput {
  isRaw = false;
  modes: boolean[] = [];
  paused = true;
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.modes.push(mode);
  }
  setEncoding() {}
  resume() {
    this.paused = false;
  }
  pause() {
    this.paused = true;
  }
  type(text: string) {
    this.emit("data", text);
  }
}

async function typeSecret(...chunks: string[]) {
  const tty = new FakeTty();
  let written = "";
  const pending = readSecretFromTty(tty, (t) => (written += t), "value: ");
  for (const c of chunks) tty.type(c);
  return { result: await pending.catch((e: unknown) => e), written, tty };
}

describe("reading a secret from a terminal", () => {
  it("collects keystrokes without echo, edits with backspace, ends at Enter and restores the terminal", async () => {
    const { result, written, tty } = await typeSecret("sec", "x\u007fret€", "\r", "ignored");
    expect(result).toBe("secret€");
    expect(written).toBe("value: \n");
    expect(tty.modes).toEqual([true, false]);
    expect(tty.paused).toBe(true);
    expect(tty.listenerCount("data")).toBe(0);
  });

  it("arrow and function keys are not part of the value", async () => {
    const { result } = await typeSecret("ab\u001b[D", "c\u001b[1;5C\u001bOP", "\u001b", "[3~d\r");
    expect(result).toBe("abcd");
  });

  it("Ctrl-C cancels, Ctrl-D ends an empty line", async () => {
    expect((await typeSecret("abc\u0003")).result).toBeInstanceOf(SecretCancelled);
    expect((await typeSecret("\u0004")).result).toBe("");
  });
});
