import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import type { Club, Me } from "../lib/api-types";
import { localInputValue, viewerTimeZone, weeklyText } from "../lib/format";
import { asArray, cleanUsername, USERNAME_RE } from "../lib/payload";
import { errorText } from "../lib/problem";
import { eventHref } from "../lib/routes";
import { navigate } from "../lib/router";
import { Header } from "../shell/Header";
import { FormError, SelectField, TextArea, TextField } from "../ui/Field";
import { useLoad } from "../ui/hooks";
import { CalendarIcon } from "../ui/icons";
import { EVENT_ERRORS } from "./errors";

/** The next full hour, at least 30 minutes from now: a sensible default start. */
function defaultStart(): Date {
  const d = new Date(Date.now() + 90 * 60_000);
  d.setMinutes(0, 0, 0);
  return d;
}

/** `/events/new` (`?club=<id>`): schedule a room. */
export function NewEventPage({ me, clubId }: { me: Me; clubId: string | null }) {
  const zone = viewerTimeZone();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [startsAt, setStartsAt] = useState(() => localInputValue(defaultStart()));
  const [cohostInput, setCohostInput] = useState("");
  const [cohosts, setCohosts] = useState<string[]>([]);
  const [club, setClub] = useState<string>(clubId ?? "");
  const [weekly, setWeekly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cohostError, setCohostError] = useState<string | null>(null);
  const { data: clubsData } = useLoad("my-clubs", () => api.myClubs(), "");
  const adminClubs = asArray<Club>(clubsData?.clubs).filter((c) => c.my_role === "admin");
  // A ?club= the member doesn't admin is dropped once the list is known.
  useEffect(() => {
    if (clubsData && club && !adminClubs.some((c) => c.id === club)) setClub("");
  }, [clubsData]);

  const addCohost = () => {
    const name = cleanUsername(cohostInput);
    if (!name) return;
    if (!USERNAME_RE.test(name)) {
      setCohostError("Usernames are 2-30 letters, digits or _.");
      return;
    }
    if (name === me.username) {
      setCohostError("You're the host already.");
      return;
    }
    setCohostError(null);
    if (!cohosts.includes(name)) setCohosts([...cohosts, name]);
    setCohostInput("");
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const t = title.trim();
    if (!t) {
      setError("Give your room a title.");
      return;
    }
    const when = new Date(startsAt); // datetime-local values are read as local time
    if (!startsAt || Number.isNaN(when.getTime())) {
      setError("Pick a date and time.");
      return;
    }
    if (when.getTime() <= Date.now()) {
      setError(EVENT_ERRORS.event_in_past!);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await api.createEvent({
        title: t,
        description: description.trim(),
        // The wall-clock time as typed, without an offset: the server reads it in `time_zone`.
        starts_at: startsAt.length === 16 ? `${startsAt}:00` : startsAt,
        time_zone: zone,
        cohosts,
        ...(club ? { club_id: club } : {}),
        ...(weekly ? { repeats: "weekly" as const } : {}),
      });
      navigate(eventHref(created.id), { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === "user_not_found") {
        setError(`${errorText(err)} Check the co-hosts' usernames.`);
      } else {
        setError(errorText(err, "Couldn't schedule the room.", EVENT_ERRORS));
      }
    }
  };

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <h1 class="page-title">Schedule a room</h1>
        <form class="card stack" onSubmit={submit} noValidate data-testid="event-form">
          <TextField
            label="Title"
            maxLength={120}
            value={title}
            placeholder="Sunday tea with friends"
            onValue={setTitle}
            data-testid="event-title-input"
          />
          <TextArea
            label="Description"
            rows={3}
            maxLength={2000}
            value={description}
            placeholder="What will you talk about?"
            onValue={setDescription}
            data-testid="event-description-input"
          />
          <TextField
            label="When"
            type="datetime-local"
            value={startsAt}
            min={localInputValue(new Date())}
            required
            onValue={setStartsAt}
            data-testid="event-starts-at"
            after={
              <small class="field__hint" data-testid="event-time-zone">
                Your time zone: {zone.replace(/_/g, " ")}
              </small>
            }
          />
          <label class="check-field">
            <input type="checkbox" checked={weekly} onChange={(e) => setWeekly(e.currentTarget.checked)} data-testid="event-weekly" />
            <span>
              Repeats weekly
              <small class="field__hint" data-testid="event-weekly-hint">
                {weekly && startsAt
                  ? `${weeklyText(new Date(startsAt).toISOString(), zone)}, until you stop it.`
                  : "The room comes back every week at the same time."}
              </small>
            </span>
          </label>
          <TextField
            label="Co-hosts"
            group
            prefix="@"
            action={
              <button type="button" class="button button--secondary" onClick={addCohost} disabled={!cohostInput.trim()} data-testid="event-cohost-add">
                Add
              </button>
            }
            autoCapitalize="none"
            autoComplete="off"
            spellcheck={false}
            placeholder="username"
            aria-label="Co-host's username"
            value={cohostInput}
            onValue={setCohostInput}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addCohost();
              }
            }}
            data-testid="event-cohost-input"
            error={cohostError}
            after={
              <>
                {cohosts.length > 0 && (
                  <ul class="chips">
                    {cohosts.map((name) => (
                      <li key={name}>
                        <span class="chip" data-testid="event-cohost" data-user={name}>
                          @{name}
                          <button type="button" class="chip__remove" aria-label={`Remove @${name}`} onClick={() => setCohosts(cohosts.filter((c) => c !== name))} data-testid="event-cohost-remove">
                            ×
                          </button>
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                <small class="field__hint">Co-hosts can start the room and moderate it with you.</small>
              </>
            }
          />
          {adminClubs.length > 0 && (
            <SelectField label="Club" value={club} onValue={setClub} data-testid="event-club-select">
              <option value="">No club</option>
              {adminClubs.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
          )}
          <FormError error={error} testid="event-error" />
          <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="event-create">
            <CalendarIcon /> {busy ? "Scheduling…" : "Schedule"}
          </button>
        </form>
      </main>
    </div>
  );
}
