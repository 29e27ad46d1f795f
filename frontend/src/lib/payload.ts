// Payloads are checked where they are used: a list that is not an array, or holds
// something that is not an object, must not break a screen.

/** A list as the server sends it; anything that is not an array of objects is dropped. */
export function asArray<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((x) => x && typeof x === "object") as T[]) : [];
}

/** Usernames as the server stores them: "@Ada " -> "ada". */
export function cleanUsername(raw: string): string {
  return raw.trim().replace(/^@/, "").toLowerCase();
}

/** What the server accepts as a username (2-30 lower-case letters, digits or _). */
export const USERNAME_RE = /^[a-z0-9_]{2,30}$/;
