/**
 * Exit codes, the same for every command: 0 all is well; 1 problems found in the input (errors, unformatted files,
 * a target that fails); 2 bad usage, or an input that cannot be read (missing, unreadable, a link loop). The worst
 * one wins. main.ts adds 70 for an internal error (a bug in river), io.ts 74 for output that cannot be written.
 */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;
