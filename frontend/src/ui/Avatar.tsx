import type { User } from "../lib/types";

/** A stable hue from the user id (FNV-1a). */
export function hueFor(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 360;
}

export function initials(user: Pick<User, "display_name" | "username">): string {
  const name = (user.display_name || user.username || "?").trim();
  const words = name.split(/\s+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0]!, words[words.length - 1]!] : [name];
  return letters
    .map((w) => Array.from(w)[0] ?? "")
    .join("")
    .slice(0, words.length >= 2 ? 4 : 2)
    .toUpperCase();
}

export function Avatar({ user, size = 48, ring = false }: { user: User; size?: number; ring?: boolean }) {
  const hue = hueFor(user.id || user.username);
  const style = {
    width: `${size}px`,
    height: `${size}px`,
    fontSize: `${Math.round(size * 0.38)}px`,
    background: `linear-gradient(135deg, hsl(${hue} 70% 84%), hsl(${(hue + 24) % 360} 62% 72%))`,
    color: `hsl(${hue} 45% 24%)`,
  };
  return (
    <span class={`avatar${ring ? " avatar--speaking" : ""}`} style={style} aria-hidden="true">
      {initials(user)}
    </span>
  );
}
