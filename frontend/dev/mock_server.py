"""A throw-away mock of the Teahouse backend, for developing and checking the web client.

Not part of the build or of the product. It follows docs/API.md and docs/PROTOCOL.md
closely enough to drive every screen, and uses aiortc as a stand-in SFU so the
client's real WebRTC publish/subscribe paths run in a browser.

    cd /work/wt-frontend
    .venv/bin/python frontend/dev/mock_server.py --port 8000 --tone-room

Seeded: users ada / bob / cy (password "password123"); invitation codes
"welcome-0001" (valid), "used-code-01" (used), "old-code-001" (expired).
--tone-room adds a live room whose moderator "tonebot" publishes a 440 Hz tone.

Test hooks: POST /_mock/media_status {"state"}, POST /_mock/skip_version {"room"},
POST /_mock/drop_sockets, POST /_mock/as {"room","user","type",...} (send a client
message on behalf of a seeded user, who joins the room first when needed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fractions
import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import uvicorn
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay
from av import AudioFrame
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, JSONResponse, Response

COOKIE = "teahouse_session"
RENEGOTIATE = True  # --no-renegotiate: a fresh server PeerConnection for every offer


def now_iso(delta_hours: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(hours=delta_hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


_background: set[asyncio.Future[Any]] = set()


def spawn(coro: Any) -> None:
    """Run a coroutine in the background, keeping a reference until it ends."""
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)


def new_id() -> str:
    return secrets.token_urlsafe(16)[:22]


class ToneTrack(MediaStreamTrack):
    kind = "audio"

    def __init__(self, freq: float = 440.0) -> None:
        super().__init__()
        self.freq, self.rate, self.samples, self.pts = freq, 48000, 960, 0
        self.start: float | None = None

    async def recv(self) -> AudioFrame:
        if self.start is None:
            self.start = time.time()
        else:
            wait = self.start + self.pts / self.rate - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        t = (np.arange(self.samples) + self.pts) / self.rate
        data = (np.sin(2 * np.pi * self.freq * t) * 9000).astype(np.int16).reshape(1, -1)
        frame = AudioFrame.from_ndarray(data, format="s16", layout="mono")
        frame.sample_rate, frame.pts = self.rate, self.pts
        frame.time_base = fractions.Fraction(1, self.rate)
        self.pts += self.samples
        return frame


@dataclass
class UserRec:
    id: str
    username: str
    display_name: str
    password: str
    invites_left: int = 2
    invited_by: str | None = None
    joined_at: str = field(default_factory=now_iso)

    def public(self) -> dict[str, str]:
        return {"id": self.id, "username": self.username, "display_name": self.display_name}


@dataclass
class Room:
    id: str
    title: str
    visibility: str
    created_by: UserRec
    created_at: str = field(default_factory=now_iso)
    version: int = 0
    participants: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: list[tuple[int, list[dict[str, Any]]]] = field(default_factory=list)
    admitted: set[str] = field(default_factory=set)
    ended: bool = False
    tracks: dict[str, MediaStreamTrack] = field(default_factory=dict)  # publisher id -> track
    pub_pcs: dict[str, RTCPeerConnection] = field(default_factory=dict)
    sub_pcs: dict[str, RTCPeerConnection] = field(default_factory=dict)

    def header(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "visibility": self.visibility,
            "created_by": self.created_by.public(),
            "ended": self.ended,
        }


class Mock:
    def __init__(self) -> None:
        self.users: dict[str, UserRec] = {}
        self.sessions: dict[str, str] = {}
        self.invites: dict[str, dict[str, Any]] = {}
        self.rooms: dict[str, Room] = {}
        self.sockets: dict[str, set[Conn]] = {}
        self.relay = MediaRelay()
        self.sub_sent: dict[tuple[str, str], set[str]] = {}
        for name, display in (("ada", "Ada Lovelace"), ("bob", "Bob Marley"), ("cy", "Cy Twombly")):
            self.add_user(name, display, "password123")
        ada = self.users["ada"]
        self.users["bob"].invited_by = ada.id
        self.invites["welcome-0001"] = self.invite_rec(ada, hours=160)
        self.invites["used-code-01"] = {
            **self.invite_rec(ada, hours=100),
            "used_by": self.users["bob"].id,
        }
        self.invites["old-code-001"] = self.invite_rec(ada, hours=-5)

    def add_user(
        self, username: str, display: str, password: str, invited_by: str | None = None
    ) -> UserRec:
        u = UserRec(new_id(), username, display, password, invited_by=invited_by)
        self.users[username] = u
        return u

    def invite_rec(self, creator: UserRec, hours: float) -> dict[str, Any]:
        return {
            "id": new_id(),
            "creator": creator.id,
            "created_at": now_iso(hours - 168),
            "expires_at": now_iso(hours),
            "used_by": None,
        }

    def by_id(self, uid: str) -> UserRec | None:
        return next((u for u in self.users.values() if u.id == uid), None)

    def me(self, u: UserRec) -> dict[str, Any]:
        return {**u.public(), "invites_left": u.invites_left, "is_admin": u.username == "ada"}

    def summary(self, r: Room) -> dict[str, Any]:
        parts = list(r.participants.values())
        return {
            "id": r.id,
            "title": r.title,
            "visibility": r.visibility,
            "created_by": r.created_by.public(),
            "created_at": r.created_at,
            "speakers": [p["user"] for p in parts if p["role"] != "listener"],
            "listener_count": sum(p["role"] == "listener" for p in parts),
            "participant_count": len(parts),
        }

    # ---- room state ----

    async def change(self, room: Room, changes: list[dict[str, Any]], skip: bool = False) -> None:
        room.version += 2 if skip else 1
        room.history.append((room.version, changes))
        await self.broadcast(room, {"type": "delta", "version": room.version, "changes": changes})

    async def broadcast(self, room: Room, msg: dict[str, Any]) -> None:
        for conns in list(self.sockets.values()):
            for c in list(conns):
                if c.room == room.id:
                    await c.send(msg)

    async def upsert(self, room: Room, uid: str, **fields: Any) -> None:
        p = room.participants[uid]
        p.update(fields)
        await self.change(room, [{"op": "upsert", "participant": dict(p)}])

    def participant(self, u: UserRec, role: str) -> dict[str, Any]:
        return {
            "user": u.public(),
            "role": role,
            "hand_raised": False,
            "invited": False,
            "muted": role != "moderator",
            "speaking": False,
            "publishing": False,
        }

    async def remove(self, room: Room, uid: str) -> None:
        if uid not in room.participants:
            return
        del room.participants[uid]
        await self.stop_publishing(room, uid, announce=False)
        pc = room.sub_pcs.pop(uid, None)
        if pc:
            await pc.close()
        await self.change(room, [{"op": "remove", "user_id": uid}])
        if not any(p["role"] == "moderator" for p in room.participants.values()) and not room.ended:
            room.ended = True
            await self.broadcast(
                room, {"type": "room_ended", "room": room.id, "reason": "moderators_left"}
            )
            for conns in self.sockets.values():
                for c in conns:
                    if c.room == room.id:
                        c.room = None
            for pc in list(room.sub_pcs.values()) + list(room.pub_pcs.values()):
                await pc.close()
            self.rooms.pop(room.id, None)

    # ---- media (aiortc as the SFU) ----

    async def stop_publishing(self, room: Room, uid: str, announce: bool = True) -> None:
        pc = room.pub_pcs.pop(uid, None)
        had = room.tracks.pop(uid, None) is not None
        if pc:
            await pc.close()
        if announce and uid in room.participants and room.participants[uid]["publishing"]:
            await self.upsert(room, uid, publishing=False, speaking=False)
        if had:
            await self.resubscribe(room)

    async def resubscribe(self, room: Room) -> None:
        """The set of publishers changed: send every participant a fresh offer."""
        for uid in list(room.participants):
            await self.offer_to(room, uid)

    async def offer_to(self, room: Room, uid: str) -> None:
        conn = self.conn_in_room(room, uid)
        if conn is None:
            return
        wanted = {pid: t for pid, t in room.tracks.items() if pid != uid}
        pc = room.sub_pcs.get(uid)
        sent = self.sub_sent.setdefault((room.id, uid), set())
        if (
            pc is not None
            and RENEGOTIATE
            and sent <= set(wanted)
            and pc.signalingState == "stable"
            and wanted
        ):
            # Renegotiate on the same connection (like Janus): add the new publishers.
            for pid in set(wanted) - sent:
                pc.addTrack(self.relay.subscribe(wanted[pid]))
                sent.add(pid)
        else:
            room.sub_pcs.pop(uid, None)
            if pc:
                await pc.close()
            sent.clear()
            if not wanted:
                return
            pc = RTCPeerConnection()
            room.sub_pcs[uid] = pc
            for pid, t in wanted.items():
                pc.addTrack(self.relay.subscribe(t))
                sent.add(pid)
        await pc.setLocalDescription(await pc.createOffer())
        await conn.send({"type": "subscribe_offer", "sdp": pc.localDescription.sdp})

    def conn_in_room(self, room: Room, uid: str) -> Conn | None:
        conns = [c for c in self.sockets.get(uid, set()) if c.room == room.id]
        return next((c for c in conns if not c.virtual), conns[0] if conns else None)


mock = Mock()


class Conn:
    def __init__(self, ws: WebSocket, user: UserRec) -> None:
        self.ws, self.user, self.room = ws, user, None  # type: ignore[assignment]
        self.room: str | None = None
        self.virtual = False

    async def send(self, msg: dict[str, Any]) -> None:
        if self.virtual:
            return
        with contextlib.suppress(Exception):
            await self.ws.send_text(json.dumps(msg))

    async def error(self, code: str, message: str, ref: str | None) -> None:
        m: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if ref:
            m["ref"] = ref
        await self.send(m)

    async def handle(self, msg: dict[str, Any]) -> None:
        t, ref = msg.get("type"), msg.get("id")
        u = self.user
        room = mock.rooms.get(self.room) if self.room else None
        me = room.participants.get(u.id) if room else None
        if t == "ping":
            await self.send({"type": "pong"})
            return
        if t == "join":
            r = mock.rooms.get(str(msg.get("room")))
            if r is None or (
                r.visibility == "closed" and u.id not in r.admitted and r.created_by.id != u.id
            ):
                await self.error("room_not_found", "This room doesn't exist or has ended.", ref)
                return
            self.room = r.id
            since = msg.get("since")
            if (
                u.id in r.participants
                and isinstance(since, int)
                and since >= r.version - len(r.history)
            ):
                for v, ch in r.history:
                    if v > since:
                        await self.send({"type": "delta", "version": v, "changes": ch})
            else:
                if u.id not in r.participants:
                    r.participants[u.id] = mock.participant(
                        u, "moderator" if u.id == r.created_by.id else "listener"
                    )
                    await mock.change(
                        r, [{"op": "upsert", "participant": dict(r.participants[u.id])}]
                    )
                await self.send(
                    {
                        "type": "snapshot",
                        "version": r.version,
                        "room": r.header(),
                        "participants": list(r.participants.values()),
                        "you": dict(r.participants[u.id]),
                    }
                )
            await mock.offer_to(r, u.id)
            return
        if room is None or me is None:
            await self.error("not_in_room", "You're not in a room.", ref)
            return
        on_stage = me["role"] in ("moderator", "speaker")
        if t == "leave":
            self.room = None
            await mock.remove(room, u.id)
        elif t == "hand" and not on_stage:
            await mock.upsert(room, u.id, hand_raised=bool(msg.get("raised")))
        elif t == "invite_to_speak":
            if me["role"] != "moderator":
                await self.error("not_moderator", "Only moderators can do that.", ref)
                return
            target = room.participants.get(str(msg.get("user_id")))
            if not target or target["role"] != "listener":
                await self.error("wrong_state", "They're not in the audience.", ref)
            elif target["hand_raised"]:
                await mock.upsert(
                    room,
                    target["user"]["id"],
                    role="speaker",
                    hand_raised=False,
                    invited=False,
                    muted=True,
                )
            else:
                await mock.upsert(room, target["user"]["id"], invited=True)
        elif t == "accept_speak" and me["invited"]:
            await mock.upsert(
                room, u.id, role="speaker", invited=False, hand_raised=False, muted=True
            )
        elif t == "decline_speak" and me["invited"]:
            await mock.upsert(room, u.id, invited=False)
        elif t == "move_to_audience":
            target_id = str(msg.get("user_id"))
            if (
                not (me["role"] == "moderator" or target_id == u.id)
                or target_id not in room.participants
            ):
                await self.error("not_moderator", "Only moderators can move other people.", ref)
                return
            await mock.stop_publishing(room, target_id, announce=False)
            await mock.upsert(
                room, target_id, role="listener", publishing=False, speaking=False, muted=True
            )
        elif t == "mute" and on_stage:
            await mock.upsert(room, u.id, muted=bool(msg.get("muted")))
        elif t == "publish" and on_stage:
            await mock.stop_publishing(room, u.id, announce=False)
            pc = RTCPeerConnection()
            room.pub_pcs[u.id] = pc

            @pc.on("track")
            def _on_track(track: MediaStreamTrack) -> None:
                room.tracks[u.id] = track
                spawn(mock.upsert(room, u.id, publishing=True))
                spawn(mock.resubscribe(room))

            await pc.setRemoteDescription(RTCSessionDescription(str(msg.get("sdp")), "offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            await self.send({"type": "publish_answer", "sdp": pc.localDescription.sdp})
        elif t == "unpublish":
            await mock.stop_publishing(room, u.id)
        elif t == "subscribe_answer":
            pc = room.sub_pcs.get(u.id)
            if pc and pc.signalingState == "have-local-offer":
                await pc.setRemoteDescription(RTCSessionDescription(str(msg.get("sdp")), "answer"))
        else:
            await self.error("wrong_state", f"Can't {t} right now.", ref)
            return
        if ref:
            await self.send({"type": "ok", "ref": ref})


def create_app(static: Path, tone_room: bool) -> FastAPI:
    app = FastAPI()

    def err(status: int, code: str, message: str) -> JSONResponse:
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)

    def current(request: Request) -> UserRec | None:
        uid = mock.sessions.get(request.cookies.get(COOKIE, ""))
        return mock.by_id(uid) if uid else None

    def login_response(u: UserRec, status: int = 200) -> JSONResponse:
        token = secrets.token_urlsafe(24)
        mock.sessions[token] = u.id
        resp = JSONResponse(mock.me(u), status_code=status)
        resp.set_cookie(COOKIE, token, httponly=True, samesite="lax", path="/")
        return resp

    def check_invite(code: Any) -> tuple[dict[str, Any] | None, JSONResponse | None]:
        if not isinstance(code, str) or len(code) < 8:
            return None, err(400, "invite_malformed", "This invitation code is malformed.")
        inv = mock.invites.get(code)
        if inv is None:
            return None, err(404, "invite_unknown", "This invitation doesn't exist.")
        if inv["used_by"]:
            return None, err(409, "invite_used", "This invitation has already been used.")
        if inv["expires_at"] < now_iso():
            return None, err(410, "invite_expired", "This invitation has expired.")
        return inv, None

    @app.post("/api/invites/inspect")
    async def inspect(request: Request) -> Response:
        body = await request.json()
        inv, e = check_invite(body.get("code"))
        if e:
            return e
        creator = mock.by_id(inv["creator"])  # type: ignore[index]
        return JSONResponse(
            {"nominated_by": creator.public() if creator else None, "expires_at": inv["expires_at"]}
        )  # type: ignore[index]

    @app.post("/api/signup")
    async def signup(request: Request) -> Response:
        body = await request.json()
        inv, e = check_invite(body.get("code"))
        if e:
            return e
        name = str(body.get("username", ""))
        import re

        if not re.fullmatch(r"[a-z0-9_]{2,30}", name):
            return err(400, "invalid_username", "Usernames are 2-30 characters: a-z, 0-9 and _.")
        if len(str(body.get("password", ""))) < 10:
            return err(400, "weak_password", "Passwords need at least 10 characters.")
        if name in mock.users:
            return err(409, "username_taken", "That username is taken.")
        u = mock.add_user(
            name, str(body.get("display_name") or name), str(body["password"]), inv["creator"]
        )  # type: ignore[index]
        inv["used_by"] = u.id  # type: ignore[index]
        return login_response(u, 201)

    @app.post("/api/login")
    async def login(request: Request) -> Response:
        body = await request.json()
        u = mock.users.get(str(body.get("username")))
        if not u or u.password != body.get("password"):
            return err(401, "bad_credentials", "Wrong username or password.")
        return login_response(u)

    @app.post("/api/logout")
    async def logout(request: Request) -> Response:
        mock.sessions.pop(request.cookies.get(COOKIE, ""), None)
        resp = Response(status_code=204)
        resp.delete_cookie(COOKIE, path="/")
        return resp

    @app.middleware("http")
    async def auth(request: Request, call_next: Any) -> Response:
        path = request.url.path
        origin_ok = request.headers.get("origin") == f"http://{request.headers.get('host')}"
        if request.method not in ("GET", "HEAD") and path.startswith("/api") and not origin_ok:
            return err(
                403,
                "origin_forbidden",
                f"Origin {request.headers.get('origin')!r} is not allowed.",
            )
        public = path in (
            "/api/invites/inspect",
            "/api/signup",
            "/api/login",
        ) or not path.startswith("/api")
        if not public and current(request) is None:
            return err(401, "not_authenticated", "Please log in.")
        return await call_next(request)

    @app.get("/api/me")
    async def get_me(request: Request) -> Response:
        return JSONResponse(mock.me(current(request)))  # type: ignore[arg-type]

    @app.get("/api/users/{username}")
    async def get_user(username: str) -> Response:
        u = mock.users.get(username)
        if not u:
            return err(404, "user_not_found", "No such member.")
        nom = mock.by_id(u.invited_by) if u.invited_by else None
        return JSONResponse(
            {
                **u.public(),
                "bio": "",
                "nominated_by": nom.public() if nom else None,
                "joined_at": u.joined_at,
            }
        )

    @app.post("/api/invites")
    async def create_invite(request: Request) -> Response:
        u = current(request)
        assert u
        if u.invites_left <= 0:
            return err(403, "invite_quota_exhausted", "You have no invitations left.")
        u.invites_left -= 1
        code = secrets.token_urlsafe(16)
        mock.invites[code] = mock.invite_rec(u, 168)
        host = request.headers.get("host", "127.0.0.1:8000")
        return JSONResponse(
            {"code": code, "url": f"http://{host}/invite#{code}", "expires_at": now_iso(168)},
            status_code=201,
        )

    @app.get("/api/invites")
    async def list_invites(request: Request) -> Response:
        u = current(request)
        assert u
        mine = [
            {
                "id": i["id"],
                "created_at": i["created_at"],
                "expires_at": i["expires_at"],
                "used": bool(i["used_by"]),
                "used_by": mock.by_id(i["used_by"]).public() if i["used_by"] else None,  # type: ignore[union-attr]
            }
            for i in mock.invites.values()
            if i["creator"] == u.id
        ]
        return JSONResponse({"invites": mine, "invites_left": u.invites_left})

    @app.get("/api/rooms")
    async def rooms(request: Request) -> Response:
        u = current(request)
        assert u
        visible = [
            r
            for r in mock.rooms.values()
            if not r.ended
            and (r.visibility == "open" or u.id in r.admitted or r.created_by.id == u.id)
        ]
        visible.sort(key=lambda r: -len(r.participants))
        return JSONResponse({"rooms": [mock.summary(r) for r in visible]})

    @app.post("/api/rooms")
    async def create_room(request: Request) -> Response:
        u = current(request)
        assert u
        body = await request.json()
        title = str(body.get("title", "")).strip()
        if not title or body.get("visibility") not in ("open", "closed"):
            return err(400, "invalid_request", "A room needs a title and a visibility.")
        r = Room(new_id(), title, body["visibility"], u)
        mock.rooms[r.id] = r
        return JSONResponse(mock.summary(r), status_code=201)

    @app.get("/api/rooms/{room_id}")
    async def get_room(room_id: str) -> Response:
        r = mock.rooms.get(room_id)
        return JSONResponse(mock.summary(r)) if r else err(404, "room_not_found", "No such room.")

    @app.post("/api/rooms/{room_id}/admit")
    async def admit(room_id: str, request: Request) -> Response:
        u = current(request)
        r = mock.rooms.get(room_id)
        if not r:
            return err(404, "room_not_found", "No such room.")
        if not u or r.participants.get(u.id, {}).get("role") != "moderator":
            return err(403, "not_moderator", "Only moderators can add people.")
        who = mock.users.get(str((await request.json()).get("username")))
        if not who:
            return err(404, "user_not_found", "No such member.")
        r.admitted.add(who.id)
        return Response(status_code=204)

    # ---- test hooks ----

    @app.post("/_mock/media_status")
    async def media_status(request: Request) -> Response:
        state = (await request.json())["state"]
        for r in mock.rooms.values():
            if state == "restarted":
                for uid in list(r.pub_pcs):
                    await mock.stop_publishing(r, uid)
            await mock.broadcast(r, {"type": "media_status", "state": state})
        return Response(status_code=204)

    @app.post("/_mock/skip_version")
    async def skip_version(request: Request) -> Response:
        r = mock.rooms[(await request.json())["room"]]
        p = next(iter(r.participants.values()))
        await mock.change(r, [{"op": "upsert", "participant": dict(p)}], skip=True)
        r.history.insert(-1, (r.version - 1, []))
        return Response(status_code=204)

    @app.post("/_mock/drop_sockets")
    async def drop_sockets() -> Response:
        for conns in mock.sockets.values():
            for c in list(conns):
                if not c.virtual:
                    with contextlib.suppress(Exception):
                        await c.ws.close(1012)
        return Response(status_code=204)

    @app.post("/_mock/as")
    async def act_as(request: Request) -> Response:
        body = await request.json()
        u = mock.users[body.pop("user")]
        conn = next((c for c in mock.sockets.get(u.id, set()) if c.virtual), None)
        if conn is None:
            conn = Conn(None, u)  # type: ignore[arg-type]
            conn.virtual = True
            mock.sockets.setdefault(u.id, set()).add(conn)
        room_id = body.pop("room")
        if conn.room != room_id:
            await conn.handle({"type": "join", "room": room_id})
        if body.get("type") and body["type"] != "join":
            await conn.handle(body)
        return Response(status_code=204)

    @app.websocket("/ws")
    async def ws_endpoint(ws: WebSocket) -> None:
        uid = mock.sessions.get(ws.cookies.get(COOKIE, ""))
        u = mock.by_id(uid) if uid else None
        await ws.accept()
        if ws.headers.get("origin") != f"http://{ws.headers.get('host')}":
            await ws.close(4403)
            return
        if u is None:
            await ws.close(4401)
            return
        conn = Conn(ws, u)
        mock.sockets.setdefault(u.id, set()).add(conn)
        await conn.send({"type": "welcome", "protocol": 1, "user": u.public()})
        try:
            while True:
                text = await ws.receive_text()
                try:
                    msg = json.loads(text)
                    assert isinstance(msg, dict)
                except Exception:
                    await conn.error("malformed_message", "Not JSON.", None)
                    continue
                await conn.handle(msg)
        except WebSocketDisconnect:
            pass
        finally:
            mock.sockets[u.id].discard(conn)
            # Like a real server with a grace period: keep the participant a while.
            rid = conn.room
            if rid:

                async def later() -> None:
                    await asyncio.sleep(15)
                    r = mock.rooms.get(rid)
                    if r and not mock.conn_in_room(r, u.id):
                        await mock.remove(r, u.id)

                spawn(later())

    @app.get("/{path:path}")
    async def spa(path: str) -> Response:
        f = static / path
        if path and f.is_file() and static in f.resolve().parents:
            return FileResponse(f)
        return FileResponse(static / "index.html")

    if tone_room:

        @app.on_event("startup")
        async def seed_tone_room() -> None:
            bot = mock.add_user("tonebot", "Tone Bot", secrets.token_hex(8))
            r = Room(new_id(), "Tone test: 440 Hz", "open", bot)
            mock.rooms[r.id] = r
            r.participants[bot.id] = {
                **mock.participant(bot, "moderator"),
                "muted": False,
                "publishing": True,
            }
            r.tracks[bot.id] = ToneTrack(440)
            for name in ("bob", "cy"):
                u = mock.users[name]
                r.participants[u.id] = mock.participant(u, "listener")

            async def speak() -> None:
                on = False
                while r.id in mock.rooms:
                    await asyncio.sleep(2)
                    on = not on
                    if bot.id in r.participants:
                        await mock.upsert(r, bot.id, speaking=on)

            spawn(speak())

    return app


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument(
        "--static", default=str(Path(__file__).resolve().parents[2] / "src/teahouse/static")
    )
    ap.add_argument("--tone-room", action="store_true")
    ap.add_argument("--no-renegotiate", action="store_true")
    args = ap.parse_args()
    global RENEGOTIATE
    RENEGOTIATE = not args.no_renegotiate
    uvicorn.run(
        create_app(Path(args.static).resolve(), args.tone_room),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
