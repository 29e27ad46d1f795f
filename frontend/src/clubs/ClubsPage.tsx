import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Club, Me } from "../lib/api-types";
import { plural } from "../lib/format";
import { asArray } from "../lib/payload";
import { errorText } from "../lib/problem";
import { clubHref } from "../lib/routes";
import { navigate, onLinkClick } from "../lib/router";
import { Header } from "../shell/Header";
import { ClubBadge } from "../ui/Avatar";
import { FormError, TextArea, TextField } from "../ui/Field";
import { useLoad } from "../ui/hooks";
import { PlusIcon } from "../ui/icons";
import { Sheet } from "../ui/Sheet";
import { EmptyCard } from "../ui/UserRow";
import { CLUB_ERRORS } from "./errors";

/** `/clubs`: the clubs I'm in, and "Create a club". */
export function ClubsPage({ me, create }: { me: Me; create: boolean }) {
  const { data, problem } = useLoad("my-clubs", () => api.myClubs(), "Couldn't load your clubs.");
  const [creating, setCreating] = useState(create);
  useEffect(() => setCreating(create), [create]);
  const clubs = asArray<Club>(data?.clubs);
  const close = () => {
    setCreating(false);
    if (create) navigate("/clubs", { replace: true });
  };

  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack">
        <div class="section-head">
          <h1 class="page-title">Your clubs</h1>
          <button type="button" class="button button--primary button--small" onClick={() => setCreating(true)} data-testid="club-new">
            <PlusIcon size={18} /> Create a club
          </button>
        </div>
        {problem && (
          <p class="notice notice--error" role="alert">
            {problem.message}
          </p>
        )}
        {!data && !problem && <div class="card skeleton">Loading…</div>}
        {data && clubs.length === 0 && (
          <EmptyCard title="No clubs yet">
            <p class="muted">Clubs are small groups with their own rooms. Start one, or accept an invitation from a club's admin.</p>
          </EmptyCard>
        )}
        {clubs.length > 0 && (
          <ul class="club-grid">
            {clubs.map((c) => (
              <li key={c.id}>
                <a class="card club-card" href={clubHref(c.id)} onClick={onLinkClick} data-testid="club-card" data-club-id={c.id}>
                  <ClubBadge club={c} size={52} />
                  <span class="club-card__text">
                    <strong>{c.name}</strong>
                    <small class="muted">{plural(typeof c.member_count === "number" ? c.member_count : 0, "member", "members")}</small>
                  </span>
                  {c.my_role === "admin" && <span class="badge badge--green">Admin</span>}
                </a>
              </li>
            ))}
          </ul>
        )}
      </main>
      {creating && <CreateClubSheet onClose={close} />}
    </div>
  );
}

function CreateClubSheet({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [rules, setRules] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameLen = Array.from(name.trim()).length;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (nameLen < 2 || nameLen > 60) {
      setError("A club's name is 2 to 60 characters.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const club = await api.createClub({ name: name.trim(), description: description.trim(), rules: rules.trim() });
      navigate(clubHref(club.id));
    } catch (err) {
      setBusy(false);
      setError(errorText(err, "Couldn't create the club.", CLUB_ERRORS));
    }
  };

  return (
    <Sheet onClose={onClose} label="Create a club" testid="club-create-dialog">
      <form class="stack" onSubmit={submit}>
        <h2 class="sheet__title">Create a club</h2>
        <TextField label="Name" value={name} maxLength={60} placeholder="Night Owls" onValue={setName} data-testid="club-name-input" />
        <TextArea label="What's it about?" rows={3} maxLength={1000} value={description} onValue={setDescription} data-testid="club-description-input" />
        <TextArea
          label="House rules"
          rows={3}
          maxLength={2000}
          value={rules}
          placeholder="Be kind. Let people finish."
          onValue={setRules}
          data-testid="club-rules-input"
        />
        <FormError error={error} />
        <button type="submit" class="button button--primary button--block" disabled={busy} data-testid="club-create">
          {busy ? "Creating…" : "Create the club"}
        </button>
        <p class="small muted center">You'll be its first admin.</p>
      </form>
    </Sheet>
  );
}
