import { ApiError } from "./api";

/** What went wrong, as a screen shows it: the server's machine-readable code and a sentence. */
export interface Problem {
  code: string;
  message: string;
}

/** The message to show for a failed call; `friendly` overrides the server's text per code. */
export function problemOf(err: unknown, fallback = "Something went wrong.", friendly: Record<string, string> = {}): Problem {
  if (err instanceof ApiError) return { code: err.code, message: friendly[err.code] ?? err.message };
  if (err instanceof Error && err.message) return { code: "unknown", message: err.message };
  return { code: "unknown", message: fallback };
}

export function errorText(err: unknown, fallback = "Something went wrong.", friendly: Record<string, string> = {}): string {
  return problemOf(err, fallback, friendly).message;
}
