const dateFmt = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "long", day: "numeric" });

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : dateFmt.format(d);
}

/** "in 6 days", "in 3 hours", "2 days ago". */
export function relative(iso: string): string {
  const d = new Date(iso).getTime();
  if (Number.isNaN(d)) return "";
  const diff = d - Date.now();
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  for (const [unit, ms] of units) if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  return rtf.format(Math.round(diff / 1000), "second");
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The browser's IANA time zone ("Europe/Berlin"); "UTC" where the browser can't tell. */
export function viewerTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const longDayFmt = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });

function capitalised(s: string): string {
  return s ? s[0]!.toLocaleUpperCase() + s.slice(1) : s;
}

/** "Today, 19:00", "Tomorrow, 09:30", "Sat, 28 Nov, 19:00": in the viewer's time zone. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const now = new Date();
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const day = sameDay(d, now)
    ? capitalised(rtf.format(0, "day"))
    : sameDay(d, tomorrow)
      ? capitalised(rtf.format(1, "day"))
      : dayFmt.format(d);
  return `${day}, ${timeFmt.format(d)}`;
}

/** "Tuesday, 24 November 2026" in the viewer's time zone. */
export function formatLongDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : longDayFmt.format(d);
}

/** "19:00" as a clock in `timeZone` shows it; "" for an unknown zone or date. */
export function formatTimeIn(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone }).format(d);
  } catch {
    return "";
  }
}

/** "(19:00 Europe/Berlin)" when the host's zone is not the viewer's, else "". */
export function hostZoneNote(iso: string, timeZone: string | null | undefined): string {
  if (!timeZone || timeZone === viewerTimeZone()) return "";
  const t = formatTimeIn(iso, timeZone);
  return t ? `(${t} ${timeZone.replace(/_/g, " ")})` : "";
}

/**
 * "Every Monday at 7:00 PM": a weekly event's weekday and time as its host's clock
 * shows them (the server keeps that wall-clock time across DST changes), with
 * "(Europe/Berlin time)" when that zone is not the viewer's; "" for a bad date or zone.
 */
export function weeklyText(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  try {
    const day = new Intl.DateTimeFormat(undefined, { weekday: "long", timeZone }).format(d);
    const time = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone }).format(d);
    const zone = timeZone === viewerTimeZone() ? "" : ` (${timeZone.replace(/_/g, " ")} time)`;
    return `Every ${day} at ${time}${zone}`;
  } catch {
    return "";
  }
}

/** A value for <input type="datetime-local">: "2026-11-24T19:00" in local time. */
export function localInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "1.2k" for big counts; plain numbers otherwise. */
export function compactCount(n: unknown): string {
  if (typeof n !== "number" || !Number.isFinite(n)) return "0";
  if (n < 1000) return String(n);
  try {
    return new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 }).format(n);
  } catch {
    return String(n);
  }
}

const countFormat = new Intl.NumberFormat();

/** A room's audience count: "1,204 listening"; "No one listening yet". */
export function listeningText(n: number): string {
  return n === 0 ? "No one listening yet" : `${countFormat.format(n)} listening`;
}
