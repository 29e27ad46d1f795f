import type { ComponentChildren } from "preact";
import { useEffect, useErrorBoundary } from "preact/hooks";
import { refreshNotifications, resetNotifications } from "./lib/notifications";
import { roomController } from "./lib/room";
import { locationStore, match, navigate } from "./lib/router";
import { authStore, loadMe } from "./lib/session";
import { appSocket } from "./lib/socket";
import { useStore } from "./lib/store";
import { AdminPage } from "./pages/Admin";
import { ClubPage, ClubsPage } from "./pages/Clubs";
import { EventPage, NewEventPage } from "./pages/Events";
import { HallwayPage } from "./pages/Hallway";
import { InvitePage } from "./pages/Invite";
import { InvitesPage } from "./pages/Invites";
import { LoginPage, safeNext } from "./pages/Login";
import { NotificationsPage } from "./pages/Notifications";
import { FollowListPage, ProfilePage } from "./pages/Profile";
import { RoomPage } from "./pages/Room";
import { SearchPage } from "./pages/Search";
import { SettingsPage } from "./pages/Settings";
import { CupIcon } from "./ui/icons";
import { Toasts } from "./ui/Toasts";
import { EmptyCard } from "./ui/UserRow";

// Signed in: one socket for the whole session (rooms, notifications, the hallway).
let wasIn = false;
authStore.subscribe((auth) => {
  if (auth.status === "in" && !wasIn) {
    wasIn = true;
    appSocket.start();
    void refreshNotifications();
  } else if (auth.status === "out") {
    wasIn = false;
    roomController.shutdown();
    resetNotifications();
  }
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
    // The fragment too: a room link (`/room/<id>#link=<code>`) must survive logging in.
    const here = loc.path + loc.search + (path.startsWith("/room/") ? loc.hash : "");
    return <Redirect to={here === "/" ? "/login" : `/login?next=${encodeURIComponent(here)}`} />;
  }
  const me = auth.me;
  const query = new URLSearchParams(loc.search);

  if (path === "/") return <HallwayPage me={me} />;
  if (path === "/invites") return <InvitesPage me={me} />;
  if (path === "/notifications") return <NotificationsPage me={me} />;
  if (path === "/search") return <SearchPage me={me} initialQuery={query.get("q") ?? ""} />;
  if (path === "/settings") return <SettingsPage me={me} />;
  if (path === "/admin") return <AdminPage me={me} tab={query.get("tab")} />;
  if (path === "/clubs") return <ClubsPage me={me} create={query.get("new") === "1"} />;
  if (path === "/events/new") return <NewEventPage me={me} clubId={query.get("club")} />;
  let params = match("/room/:id", path);
  if (params) return <RoomPage key={params.id} me={me} roomId={params.id!} />;
  params = match("/u/:username", path);
  if (params) return <ProfilePage key={params.username} me={me} username={params.username!} />;
  params = match("/u/:username/:list", path);
  if (params && (params.list === "followers" || params.list === "following"))
    return <FollowListPage me={me} username={params.username!} which={params.list} />;
  params = match("/c/:id", path);
  if (params) return <ClubPage key={params.id} me={me} clubId={params.id!} />;
  params = match("/event/:id", path);
  if (params) return <EventPage key={params.id} me={me} eventId={params.id!} />;
  return (
    <main class="narrow">
      <EmptyCard title="Nothing here">
        <p class="muted">This page doesn't exist.</p>
        <a class="button button--secondary" href="/">
          Go to the hallway
        </a>
      </EmptyCard>
    </main>
  );
}

/** A screen that throws while rendering shows a message instead of a blank page. */
function Boundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary((err: unknown) => console.error("teahouse: a screen failed", err));
  const { path } = useStore(locationStore);
  useEffect(() => {
    if (error) reset();
  }, [path]);
  if (!error) return <>{children}</>;
  return (
    <main class="narrow">
      <EmptyCard title="Something went wrong" testid="screen-error">
        <p class="muted">This screen couldn't be shown. Try again, or go back to the hallway.</p>
        <div class="row">
          <button type="button" class="button button--primary" onClick={() => reset()}>
            Try again
          </button>
          <a class="button button--secondary" href="/">
            Hallway
          </a>
        </div>
      </EmptyCard>
    </main>
  );
}

export function App() {
  useEffect(() => {
    void loadMe();
  }, []);
  return (
    <>
      <Boundary>
        <Routes />
      </Boundary>
      <Toasts />
    </>
  );
}
