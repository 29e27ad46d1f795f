import { useEffect } from "preact/hooks";
import { roomController } from "./lib/room";
import { locationStore, match, navigate } from "./lib/router";
import { authStore, loadMe } from "./lib/session";
import { useStore } from "./lib/store";
import { HallwayPage } from "./pages/Hallway";
import { InvitePage } from "./pages/Invite";
import { InvitesPage } from "./pages/Invites";
import { LoginPage, safeNext } from "./pages/Login";
import { ProfilePage } from "./pages/Profile";
import { RoomPage } from "./pages/Room";
import { CupIcon } from "./ui/icons";
import { Toasts } from "./ui/Toasts";

authStore.subscribe((auth) => {
  if (auth.status === "out") roomController.shutdown();
});

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Routes() {
  const loc = useStore(locationStore);
  const auth = useStore(authStore);
  const path = loc.path.length > 1 ? loc.path.replace(/\/+$/, "") : loc.path;

  // Public screens.
  if (path === "/invite") return <InvitePage hash={loc.hash} />;
  if (path === "/login") {
    const next = new URLSearchParams(loc.search).get("next") ?? "/";
    if (auth.status === "in") return <Redirect to={safeNext(next)} />;
    return <LoginPage next={next} />;
  }

  if (auth.status === "loading") {
    return (
      <div class="splash" aria-busy="true">
        <CupIcon size={48} />
      </div>
    );
  }
  if (auth.status === "out") {
    const here = loc.path + loc.search;
    return <Redirect to={here === "/" ? "/login" : `/login?next=${encodeURIComponent(here)}`} />;
  }
  const me = auth.me;

  if (path === "/") return <HallwayPage me={me} />;
  if (path === "/invites") return <InvitesPage me={me} />;
  let params = match("/room/:id", path);
  if (params) return <RoomPage key={params.id} me={me} roomId={params.id!} />;
  params = match("/u/:username", path);
  if (params) return <ProfilePage me={me} username={params.username!} />;
  return (
    <main class="narrow">
      <div class="card empty">
        <p class="empty__title">Nothing here</p>
        <p class="muted">This page doesn't exist.</p>
        <a class="button button--secondary" href="/">
          Go to the hallway
        </a>
      </div>
    </main>
  );
}

export function App() {
  useEffect(() => {
    void loadMe();
  }, []);
  return (
    <>
      <Routes />
      <Toasts />
    </>
  );
}
