import { useState } from "preact/hooks";
import type { User } from "../lib/api-types";

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

/** Only our own avatar routes (and local previews): never an arbitrary address from a payload. */
function safeSrc(url: unknown): string | null {
  if (typeof url !== "string" || !url) return null;
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  if (url.startsWith("blob:")) return url;
  try {
    const u = new URL(url, window.location.href);
    return u.origin === window.location.origin ? u.pathname + u.search : null;
  } catch {
    return null;
  }
}

/**
 * A round avatar: the photo when the member has one (loaded lazily), drawn over their
 * initials, which show while it loads and stay if it fails.
 */
export function Avatar({
  user,
  size = 48,
  ring = false,
}: {
  user: Pick<User, "id" | "username" | "display_name" | "avatar_url">;
  size?: number;
  ring?: boolean;
}) {
  const [failed, setFailed] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const src = safeSrc(user.avatar_url);
  const hue = hueFor(user.id || user.username || "");
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
      {src && failed !== src && (
        <img
          class={`avatar__img${loaded === src ? " is-loaded" : ""}`}
          src={src}
          alt=""
          loading="lazy"
          decoding="async"
          width={size}
          height={size}
          draggable={false}
          onLoad={() => setLoaded(src)}
          onError={() => setFailed(src)}
        />
      )}
    </span>
  );
}

/** A club's round badge: its initials on a hue of its own. */
export function ClubBadge({ club, size = 48 }: { club: { id: string; name: string }; size?: number }) {
  const hue = hueFor(`club:${club.id || club.name}`);
  const style = {
    width: `${size}px`,
    height: `${size}px`,
    fontSize: `${Math.round(size * 0.36)}px`,
    background: `linear-gradient(135deg, hsl(${hue} 55% 86%), hsl(${(hue + 30) % 360} 50% 74%))`,
    color: `hsl(${hue} 45% 22%)`,
  };
  return (
    <span class="avatar avatar--club" style={style} aria-hidden="true">
      {initials({ display_name: club.name, username: club.name })}
    </span>
  );
}
