import { ApiError } from "./api";
import { GENERIC_MESSAGE } from "./error-messages";
import type { ErrorCode } from "./protocol";
import { RoomActionError } from "./room/requests";

/** A screen's own sentence for some error codes (a code the server does not have fails the type check). */
export type ErrorTexts = Partial<Record<ErrorCode, string>>;

/** What went wrong, as a screen shows it: the server's machine-readable code and a sentence. */
export interface Problem {
  code: string;
  message: string;
}

/** An error whose message was written for people (a screen passing a failure on). */
export class ShownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShownError";
  }
}

/**
 * The message to show for a failed call: the screen's sentence for its code
 * (`friendly`), else the client's table (error-messages.ts). Any other error (a bug,
 * a browser's own exception) shows `fallback`, never its own text.
 */
export function problemOf(err: unknown, fallback = GENERIC_MESSAGE, friendly: ErrorTexts = {}): Problem {
  if (err instanceof ApiError || err instanceof RoomActionError) {
    return { code: err.code, message: friendly[err.code as ErrorCode] ?? err.message };
  }
  if (err instanceof ShownError) return { code: "unknown", message: err.message };
  return { code: "unknown", message: fallback };
}

export function errorText(err: unknown, fallback = GENERIC_MESSAGE, friendly: ErrorTexts = {}): string {
  return problemOf(err, fallback, friendly).message;
}
