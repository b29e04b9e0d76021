/** All words a person reads, in nl and en, and how prompts become text. */
export * from "./render.ts";
