import { useEffect, useState } from "preact/hooks";
import { api } from "../lib/api";
import { copyText } from "../lib/clipboard";
import type { Me, User } from "../lib/api-types";
import { formatDate } from "../lib/format";
import { asArray } from "../lib/payload";
import { relayOnlyPreference } from "../lib/room/ice";
import { errorText } from "../lib/problem";
import { logOut } from "../lib/session";
import { toast } from "../lib/toast";
import { PasswordSection } from "./PasswordSection";
import { Header } from "../shell/Header";
import { ConfirmSheet } from "../ui/ConfirmSheet";
import { FormError, ReadOnlyInput } from "../ui/Field";
import { CopyIcon } from "../ui/icons";
import { UserRow } from "../ui/UserRow";
import { DeleteAccountSheet } from "./DeleteAccountSheet";
import { PasskeysSection } from "./PasskeysSection";

/** `/settings`: your password, your passkeys, your data, your calendar feed, who you blocked, logging out and leaving. */
export function SettingsPage({ me }: { me: Me }) {
  const [deleting, setDeleting] = useState(false);
  return (
    <div class="page">
      <Header me={me} />
      <main class="narrow stack settings">
        <h1 class="page-title">Settings</h1>
        {me.is_admin && (
          <section class="card stack">
            <h2 class="card-title">Administration</h2>
            <p class="muted">Members, invitations, reports and the audit log of this Teahouse.</p>
            <a class="button button--secondary button--block" href="/admin" data-testid="settings-admin">
              Open the admin page
            </a>
          </section>
        )}
        <PasswordSection />
        <PasskeysSection />
        <RelayOnlySection />
        <CalendarSection />
        <BlockedSection />
        <section class="card stack">
          <h2 class="card-title">Your data</h2>
          <p class="muted">A copy of everything Teahouse keeps about you, as a JSON file.</p>
          <ExportButton username={me.username} />
        </section>
        <section class="card stack">
          <h2 class="card-title">Account</h2>
          <button
            type="button"
            class="button button--secondary button--block"
            onClick={() => logOut().catch((err: unknown) => toast(errorText(err, "Couldn't log out.")))}
            data-testid="settings-logout"
          >
            Log out
          </button>
          <button type="button" class="button button--block button--danger-soft" onClick={() => setDeleting(true)} data-testid="delete-account">
            Delete my account
          </button>
        </section>
      </main>
      {deleting && <DeleteAccountSheet onClose={() => setDeleting(false)} />}
    </div>
  );
}

function ExportButton({ username }: { username: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, filename } = await api.exportData();
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filename ?? `teahouse-${username}.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
    } catch (err) {
      setError(errorText(err, "Couldn't prepare your data."));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="button button--secondary button--block" onClick={download} disabled={busy} data-testid="export-data">
        {busy ? "Preparing…" : "Download my data"}
      </button>
      <FormError error={error} />
    </>
  );
}

/** "Relay only": kept on this device, read when the next audio connection opens. */
function RelayOnlySection() {
  const [on, setOn] = useState(() => relayOnlyPreference.get());
  const toggle = () => {
    relayOnlyPreference.set(!on);
    setOn(!on);
  };
  return (
    <section class="card stack">
      <h2 class="card-title">Audio connection</h2>
      <div class="menu-list">
        <button
          type="button"
          role="switch"
          aria-checked={on}
          class="menu-list__item menu-list__item--switch"
          onClick={toggle}
          data-testid="relay-only-toggle"
          data-on={String(on)}
        >
          <span class="menu-list__text">
            <strong>Relay only</strong>
            <small class="muted">
              {on
                ? "Room audio goes through this Teahouse's relay, so the media server never sees your address. On this device, from the next room you join."
                : "Off: your device may connect to the media server directly, which shows it your address."}
            </small>
          </span>
          <span class={`switch${on ? " is-on" : ""}`} aria-hidden="true" />
        </button>
      </div>
    </section>
  );
}

/**
 * The calendar feed's address. The server keeps only a hash of its secret, so the
 * address is in the answer that makes it (the first visit) and never again; a later
 * visit says when it was made and offers a new one (docs/API-SOCIAL.md, "Calendar").
 */
function CalendarSection() {
  const [url, setUrl] = useState<string | null>(null);
  const [madeAt, setMadeAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  useEffect(() => {
    let live = true;
    api.calendar().then(
      (r) => {
        if (!live) return;
        if (typeof r?.url === "string") setUrl(r.url);
        else if (typeof r?.created_at === "string") setMadeAt(r.created_at);
        else setError("Couldn't load your calendar address.");
      },
      (err: unknown) => live && setError(errorText(err, "Couldn't load your calendar address.")),
    );
    return () => {
      live = false;
    };
  }, []);
  const copy = async () => {
    if (!url) return;
    const ok = await copyText(url);
    toast(ok ? "Calendar address copied." : "Couldn't copy. Select the address and copy it.", ok ? "info" : "error");
  };
  return (
    <section class="card stack" data-testid="calendar-section">
      <h2 class="card-title">Calendar</h2>
      <p class="muted">
        Add this address to your calendar app to see the rooms you host or asked about, and your clubs' rooms. Keep it to
        yourself: anyone with it can read that calendar.
      </p>
      {error && <p class="form-error">{error}</p>}
      {url && (
        <div class="invite-link">
          <ReadOnlyInput value={url} aria-label="Calendar address" data-testid="calendar-url" />
          <button type="button" class="button button--secondary" onClick={copy} data-testid="calendar-copy">
            <CopyIcon /> Copy
          </button>
        </div>
      )}
      {!url && madeAt && (
        <p data-testid="calendar-made">
          You made your calendar address on {formatDate(madeAt)}. For your privacy Teahouse shows it only once, when it's
          made. If it's in your calendar app, there's nothing to do. Lost it? Make a new one; the old one stops working.
        </p>
      )}
      {(url || madeAt) && (
        <button type="button" class={`button ${url ? "button--ghost button--small" : "button--secondary"}`} onClick={() => setRotating(true)} data-testid="calendar-rotate">
          Make a new address
        </button>
      )}
      {rotating && (
        <ConfirmSheet
          title="Make a new calendar address?"
          confirmLabel="Make a new address"
          busyLabel="Making…"
          onClose={() => setRotating(false)}
          confirmTestid="calendar-rotate-confirm"
          onConfirm={async () => {
            const r = await api.rotateCalendar();
            if (typeof r?.url === "string") setUrl(r.url);
            toast("New calendar address ready. Update it in your calendar app.", "info");
          }}
        >
          <p class="muted">The old address stops working at once. Calendars subscribed to it stop updating.</p>
        </ConfirmSheet>
      )}
    </section>
  );
}

function BlockedSection() {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.blocks().then(
      (r) => live && setUsers(asArray<User>(r?.users)),
      (err: unknown) => live && setError(errorText(err, "Couldn't load the members you blocked.")),
    );
    return () => {
      live = false;
    };
  }, []);
  const unblock = async (u: User) => {
    setBusy(u.username);
    try {
      await api.unblock(u.username);
      setUsers((list) => (list ?? []).filter((x) => x.username !== u.username));
      toast(`You unblocked @${u.username}.`, "info");
    } catch (err) {
      toast(errorText(err, "Couldn't unblock."));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="card stack">
      <h2 class="card-title">Blocked members</h2>
      {error && <p class="form-error">{error}</p>}
      {users && users.length === 0 && <p class="muted">You haven't blocked anyone.</p>}
      {users && users.length > 0 && (
        <ul class="user-list user-list--flat" data-testid="blocked-list">
          {users.map((u) => (
            <UserRow key={u.id || u.username} user={u} testid="blocked-user" link={false}>
              <button type="button" class="button button--secondary button--small" disabled={busy === u.username} onClick={() => unblock(u)} data-testid="unblock-button">
                Unblock
              </button>
            </UserRow>
          ))}
        </ul>
      )}
    </section>
  );
}
