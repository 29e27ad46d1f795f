import { useEffect, useState } from "preact/hooks";
import { errorText, problemOf } from "../lib/problem";
import { api, ApiError } from "../lib/api";
import type { InviteInspect } from "../lib/api-types";
import { relative } from "../lib/format";
import { USERNAME_RE } from "../lib/payload";
import { navigate } from "../lib/router";
import { signedIn } from "../lib/session";
import { Avatar } from "../ui/Avatar";
import { FormError, TextField } from "../ui/Field";
import { AuthPage } from "../ui/AuthPage";

const INVITE_PROBLEMS: Record<string, { title: string; text: string }> = {
  invite_malformed: {
    title: "This link looks incomplete",
    text: "The invitation code in this link is malformed. Ask for the link again and open it exactly as you received it.",
  },
  invite_unknown: {
    title: "We don't know this invitation",
    text: "This invitation doesn't exist. Check the link, or ask your friend for a new one.",
  },
  invite_used: {
    title: "This invitation was already used",
    text: "Each invitation works once. If it was yours, log in instead; otherwise ask for a new one.",
  },
  invite_expired: {
    title: "This invitation has expired",
    text: "Invitations are valid for a limited time. Ask your friend to send you a fresh one.",
  },
  invite_revoked: {
    title: "This invitation was withdrawn",
    text: "An admin of this Teahouse withdrew it. Ask a member for a new one.",
  },
};

type Load =
  | { state: "loading" }
  | { state: "ok"; info: InviteInspect }
  | { state: "problem"; code: string; message: string };

/** `/invite#<code>`: who invited you (or why the link can't be used), then sign-up. */
export function SignupPage({ hash }: { hash: string }) {
  const code = decodeFragment(hash);
  const [load, setLoad] = useState<Load>({ state: "loading" });

  useEffect(() => {
    if (!code) {
      setLoad({ state: "problem", code: "invite_malformed", message: "" });
      return;
    }
    let live = true;
    setLoad({ state: "loading" });
    api.inspectInvite(code).then(
      (info) => live && setLoad({ state: "ok", info }),
      (err: unknown) => {
        if (!live) return;
        setLoad({ state: "problem", ...problemOf(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [code]);

  return (
    <AuthPage>
      {load.state === "loading" && <div class="card auth-card skeleton" aria-busy="true">Checking your invitation…</div>}
      {load.state === "problem" && <InviteProblem code={load.code} message={load.message} />}
      {load.state === "ok" && <SignupForm code={code} info={load.info} />}
    </AuthPage>
  );
}

export function decodeFragment(hash: string): string {
  const raw = hash.startsWith("#") ? hash.slice(1) : hash;
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

function InviteProblem({ code, message }: { code: string; message: string }) {
  const known = INVITE_PROBLEMS[code];
  return (
    <div class="card auth-card" data-testid="invite-error" data-code={code}>
      <h1>{known?.title ?? "This invitation can't be used"}</h1>
      <p class="muted">{known?.text ?? message}</p>
      <a class="button button--secondary button--block" href="/login">
        I already have an account
      </a>
    </div>
  );
}

function SignupForm({ code, info }: { code: string; info: InviteInspect }) {
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ username?: string; password?: string; display_name?: string; form?: string }>(
    {},
  );
  const [problem, setProblem] = useState<{ code: string; message: string } | null>(null);

  if (problem) return <InviteProblem code={problem.code} message={problem.message} />;

  const validate = () => {
    const e: typeof errors = {};
    if (!USERNAME_RE.test(username)) e.username = "2–30 characters: lower-case letters, digits and _.";
    if (displayName.trim().length > 60) e.display_name = "At most 60 characters.";
    if (password.length < 10) e.password = "At least 10 characters.";
    else if (password.length > 256) e.password = "At most 256 characters.";
    return e;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const body: { code: string; username: string; password: string; display_name?: string } = {
        code,
        username,
        password,
      };
      if (displayName.trim()) body.display_name = displayName.trim();
      const me = await api.signup(body);
      signedIn(me);
      navigate("/", { replace: true });
    } catch (err) {
      setBusy(false);
      if (!(err instanceof ApiError)) {
        setErrors({ form: "Something went wrong. Try again." });
        return;
      }
      if (err.code.startsWith("invite_")) setProblem(problemOf(err));
      else if (err.code === "invalid_username" || err.code === "username_taken") setErrors({ username: errorText(err) });
      else if (err.code === "weak_password") setErrors({ password: errorText(err) });
      else if (err.code === "display_name_taken")
        setErrors({ display_name: "That name looks like another member's. Choose one people can tell apart." });
      else setErrors({ form: errorText(err) });
    }
  };

  const inviter = info.nominated_by;
  return (
    <form class="card auth-card" onSubmit={submit} noValidate data-testid="signup-form">
      {inviter ? (
        <div class="inviter">
          <Avatar user={inviter} size={64} />
          <h1 data-testid="invited-by">{inviter.display_name} invited you</h1>
          <p class="muted">Pick a name and join the conversation. This invitation expires {relative(info.expires_at)}.</p>
        </div>
      ) : (
        <div class="inviter">
          <h1 data-testid="invited-by">You're invited</h1>
          <p class="muted">Pick a name and join the conversation. This invitation expires {relative(info.expires_at)}.</p>
        </div>
      )}
      <TextField
        label="Username"
        prefix="@"
        error={errors.username}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellcheck={false}
        inputMode="text"
        maxLength={30}
        required
        value={username}
        onValue={(v) => setUsername(v.toLowerCase())}
        data-testid="signup-username"
        aria-invalid={!!errors.username}
      />
      <TextField
        label="Display name"
        error={errors.display_name}
        name="display_name"
        autoComplete="name"
        maxLength={60}
        placeholder={username || "Your name"}
        value={displayName}
        onValue={setDisplayName}
        data-testid="signup-display-name"
        aria-invalid={!!errors.display_name}
      />
      <TextField
        label="Password"
        hint="At least 10 characters."
        error={errors.password}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={10}
        maxLength={256}
        required
        value={password}
        onValue={setPassword}
        data-testid="signup-password"
        aria-invalid={!!errors.password}
      />
      <FormError error={errors.form} />
      <button class="button button--primary button--block" type="submit" disabled={busy} data-testid="signup-submit">
        {busy ? "Joining…" : "Join Teahouse"}
      </button>
    </form>
  );
}
