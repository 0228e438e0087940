/**
 * Reads a secret from a terminal without echoing it: the terminal goes into raw mode, keystrokes are collected in
 * memory (backspace edits, Enter ends, Ctrl-C cancels, Ctrl-D on an empty line ends, arrow, function and Alt- keys
 * are ignored rather than typed as `[A`) and the terminal is restored however reading ends. Nothing typed is written
 * anywhere.
 */

/** The parts of a TTY read stream used here (process.stdin when it is a terminal). */
export interface SecretInput {
  setRawMode(mode: boolean): unknown;
  readonly isRaw: boolean;
  setEncoding(encoding: "utf8"): unknown;
  on(event: "data", listener: (chunk: string) => void): unknown;
  removeListener(event: "data", listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Thrown when the user cancels with Ctrl-C. */
export class SecretCancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "SecretCancelled";
  }
}

export function readSecretFromTty(input: SecretInput, write: (text: string) => void, prompt: string): Promise<string> {
  write(prompt);
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.setEncoding("utf8");
  return new Promise<string>((resolve, reject) => {
    let value = "";
    /** Inside a terminal escape sequence (an arrow or function key: ESC [ … final byte, or ESC O x), not typed text. */
    let escape: "" | "esc" | "csi" | "ss3" = "";
    const finish = (error?: Error): void => {
      input.removeListener("data", onData);
      input.setRawMode(wasRaw);
      input.pause();
      write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (escape === "esc") {
          escape = ch === "[" ? "csi" : ch === "O" ? "ss3" : "";
          continue;
        }
        if (escape === "ss3" || (escape === "csi" && ch >= "@" && ch <= "~")) {
          escape = "";
          continue;
        }
        if (escape === "csi") continue;
        if (ch === "\u001b") {
          escape = "esc";
          continue;
        }
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003") return finish(new SecretCancelled());
        if (ch === "\u0004") {
          if (value === "") return finish();
          continue;
        }
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    input.on("data", onData);
    input.resume();
  });
}
