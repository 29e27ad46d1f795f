import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { navigate } from "../lib/router";
import { loginNotice, signedIn } from "../lib/session";
import { useStore } from "../lib/store";
import { CupIcon } from "../ui/icons";

export function LoginPage({ next }: { next: string }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const notice = useStore(loginNotice);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!username || !password) {
      setError("Enter your username and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await api.login(username.trim().toLowerCase().replace(/^@/, ""), password);
      loginNotice.set(null);
      signedIn(me);
      navigate(safeNext(next), { replace: true });
    } catch (err) {
      setBusy(false);
      setError(
        err instanceof ApiError && err.code === "bad_credentials"
          ? "That username and password don't match."
          : err instanceof Error
            ? err.message
            : "Something went wrong.",
      );
    }
  };

  return (
    <main class="auth-page">
      <div class="auth-brand">
        <CupIcon size={34} />
        <span>Teahouse</span>
      </div>
      <form class="card auth-card" onSubmit={submit} noValidate data-testid="login-form">
        <h1>Welcome back</h1>
        <p class="muted">Teahouse is invitation-only. Log in to see who's talking.</p>
        {notice && (
          <p class="form-notice" role="status" data-testid="login-notice">
            {notice}
          </p>
        )}
        <label class="field">
          <span>Username</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
            data-testid="login-username"
          />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
            data-testid="login-password"
          />
        </label>
        {error && (
          <p class="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button class="button button--primary button--block" type="submit" disabled={busy} data-testid="login-submit">
          {busy ? "Logging in…" : "Log in"}
        </button>
        <p class="muted small center">New here? You'll need an invitation link from a member.</p>
      </form>
    </main>
  );
}

/** Only same-site paths: never redirect to another origin after logging in. */
export function safeNext(next: string): string {
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/";
}
