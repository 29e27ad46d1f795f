import { useEffect } from "preact/hooks";
import { InvitesPage } from "./accounts/InvitesPage";
import { LoginPage } from "./accounts/LoginPage";
import { ResetPage } from "./accounts/ResetPage";
import { SettingsPage } from "./accounts/SettingsPage";
import { SignupPage } from "./accounts/SignupPage";
import type { Me } from "./lib/api-types";
import { refreshNotifications, resetNotifications } from "./lib/notifications";
import { roomController } from "./lib/room/controller";
import { locationStore, navigate } from "./lib/router";
import { isPublic, loginRedirect, resolveRoute, safeNext, type Route } from "./lib/routes";
import { authStore, loadMe } from "./lib/session";
import { appSocket } from "./lib/socket";
import { AdminPage } from "./admin/AdminPage";
import { ClubPage } from "./clubs/ClubPage";
import { ClubsPage } from "./clubs/ClubsPage";
import { EventPage } from "./events/EventPage";
import { NewEventPage } from "./events/NewEventPage";
import { HallwayPage } from "./hallway/HallwayPage";
import { NotificationsPage } from "./notifications/NotificationsPage";
import { RoomPage } from "./room/RoomPage";
import { Boundary, NotFound } from "./shell/Boundary";
import { Toasts } from "./shell/Toasts";
import { FollowListPage } from "./social/FollowListPage";
import { ProfilePage } from "./social/ProfilePage";
import { SearchPage } from "./social/SearchPage";
import { useStore } from "./ui/hooks";
import { CupIcon } from "./ui/icons";

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

/** A signed-in screen for its route. */
function Screen({ route, me }: { route: Route; me: Me }) {
  switch (route.name) {
    case "hallway":
      return <HallwayPage me={me} />;
    case "notifications":
      return <NotificationsPage me={me} />;
    case "search":
      return <SearchPage me={me} initialQuery={route.q} />;
    case "admin":
      return <AdminPage me={me} tab={route.tab} />;
    case "clubs":
      return <ClubsPage me={me} create={route.create} />;
    case "new-event":
      return <NewEventPage me={me} clubId={route.clubId} />;
    case "room":
      return <RoomPage key={route.roomId} me={me} roomId={route.roomId} />;
    case "profile":
      return <ProfilePage key={route.username} me={me} username={route.username} />;
    case "follow-list":
      return <FollowListPage me={me} username={route.username} which={route.which} />;
    case "club":
      return <ClubPage key={route.clubId} me={me} clubId={route.clubId} />;
    case "event":
      return <EventPage key={route.eventId} me={me} eventId={route.eventId} />;
    case "invites":
      return <InvitesPage me={me} />;
    case "settings":
      return <SettingsPage me={me} />;
    default:
      return <NotFound />;
  }
}

function Routes() {
  const loc = useStore(locationStore);
  const auth = useStore(authStore);
  const route = resolveRoute(loc.path, loc.search);

  if (route.name === "invite") return <SignupPage hash={loc.hash} />;
  if (route.name === "reset") return <ResetPage hash={loc.hash} />;
  if (route.name === "login") {
    if (auth.status === "in") return <Redirect to={safeNext(route.next)} />;
    return <LoginPage next={route.next} />;
  }
  if (auth.status === "loading") {
    return (
      <div class="splash" aria-busy="true">
        <CupIcon size={48} />
      </div>
    );
  }
  if (auth.status === "out" && !isPublic(route)) return <Redirect to={loginRedirect(loc.path, loc.search, loc.hash)} />;
  if (auth.status !== "in") return null;
  return <Screen route={route} me={auth.me} />;
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
