import { ApiError } from "./api";
import type { ErrorCode } from "./protocol";

/** A screen's own sentence for some error codes (a code the server does not have fails the type check). */
export type ErrorTexts = Partial<Record<ErrorCode, string>>;

/** What went wrong, as a screen shows it: the server's machine-readable code and a sentence. */
export interface Problem {
  code: string;
  message: string;
}

/** The message to show for a failed call; `friendly` overrides the server's text per code. */
export function problemOf(err: unknown, fallback = "Something went wrong.", friendly: ErrorTexts = {}): Problem {
  if (err instanceof ApiError) return { code: err.code, message: friendly[err.code as ErrorCode] ?? err.message };
  if (err instanceof Error && err.message) return { code: "unknown", message: err.message };
  return { code: "unknown", message: fallback };
}

export function errorText(err: unknown, fallback = "Something went wrong.", friendly: ErrorTexts = {}): string {
  return problemOf(err, fallback, friendly).message;
}
