"""Room messages from this process's sockets, to the room's owner wherever it runs.

With one process every room is here and a message goes straight to its call
(room_calls.py). With several replicas (docs/ARCHITECTURE.md, "Rooms across
replicas") a socket may be on one replica and its room's owner on another:

- The socket's replica sends the message to the owner's topic (``replica:ID`` on the
  bus) as a *call*; the owner performs it as a :class:`RemoteClient` standing for that
  socket, waits until the change is saved, and answers with a *reply* (done, or the
  error), which becomes the socket's ``ok`` or ``error``.
- What the owner sends that socket (snapshots, deltas, offers) goes to the socket's
  replica as *frames*, on the same topic as the reply, so in the order it was sent;
  the room the owner puts the socket in (or takes it out of) comes the same way.
- Each replica says it is alive (``alive:ID``, renewed every second); an owner whose
  remote sockets' replica stopped saying so holds their places as for a dropped
  socket. A replica whose sockets' room changed owner (the owner died, or handed the
  room over on its way out) closes those sockets with 1012: their clients reconnect and
  resume with the room's new owner, which restores it from its last save.
- A room nobody owns any more (its owner died) is taken by whichever replica sweeps
  first (every two seconds), restored from its saved state.

Every message about a room carries its owner's fence; news from an older fence (a
paused owner that woke up) is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from typing import Any

from teahouse.bus.base import Bus
from teahouse.domain.room_changes import UserRef
from teahouse.errors import CloseCode, ErrorCode, TeahouseError, TooManyRequests, Unavailable
from teahouse.live.ownership import LEASE_MS, Ownership
from teahouse.live.room import LiveRoom
from teahouse.live.stage import Client
from teahouse.realtime.client_messages import ClientMessage, Join, parse_client_message
from teahouse.replicas.remote import RemoteClient, Socket
from teahouse.replicas.room_calls import RoomCalls
from teahouse.rooms.saved import INFO, RECORD

log = logging.getLogger(__name__)

CALL_TIMEOUT = 10.0
WATCH_EVERY = 1.0
SWEEP_EVERY = 2.0
CODES = {code.value: code for code in ErrorCode}


class RoomRouter:
    def __init__(self, calls: RoomCalls, bus: Bus, ownership: Ownership) -> None:
        self._calls = calls
        self._stage = calls.stage
        self._bus = bus
        self._ownership = ownership
        self._me = bus.replica
        self._sockets: dict[str, Socket] = {}  # this process's, by socket id
        self._owner_of: dict[str, str] = {}  # socket id -> the replica owning its room
        self._remotes: dict[tuple[str, str], RemoteClient] = {}  # (replica, socket id)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._callee: dict[str, str] = {}  # call id -> the replica it went to
        self._fences: dict[str, int] = {}  # the newest owner's fence seen, per room
        self._ids = (f"{self._me}.{n}" for n in itertools.count())
        self._tasks: list[asyncio.Task[None]] = []
        self._stage.on_let_go = self._let_go

    @property
    def shared(self) -> bool:
        return self._ownership.shared

    async def start(self) -> None:
        if not self.shared:
            return
        await self._bus.subscribe(f"replica:{self._me}", self._on_message)
        await self._bus.subscribe("rooms", self._on_room_news)
        self._stage.keeper.announce = self._announce
        self._tasks.append(asyncio.create_task(self._watch(), name="room router"))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def register(self, socket: Socket) -> None:
        self._sockets[socket.socket_id] = socket

    # -- this process's sockets ---------------------------------------------------------

    async def perform(self, socket: Socket, message: ClientMessage) -> None:
        """Perform a room message for one of this process's sockets, here or at its
        room's owner; returns once it is done (and, with replicas, saved)."""
        room_id = message.room if isinstance(message, Join) else socket.room_id
        current = self._owner_of.get(socket.socket_id)
        joining = isinstance(message, Join)
        owner = current if current and not joining else await self._owner(room_id)
        if joining and current and current != owner and socket.room_id:
            # Moving from a room owned elsewhere: leave it there first.
            await self._call(current, socket, {"type": "leave"})
            self._owner_of.pop(socket.socket_id, None)
        if owner == self._me:
            await self._calls.perform(socket, message)
            await self._durable(socket.room_id or room_id)
            return
        self._owner_of[socket.socket_id] = owner
        await self._call(owner, socket, message.model_dump(mode="json", exclude_none=True))

    async def disconnected(self, socket: Socket, *, hold: bool) -> None:
        self._sockets.pop(socket.socket_id, None)
        owner = self._owner_of.pop(socket.socket_id, None)
        if owner is None:
            await self._stage.disconnected(socket, hold=hold)
            return
        payload = {"kind": "gone", "from": self._me, "socket": socket.socket_id, "hold": hold}
        self._post(owner, payload)

    async def _owner(self, room_id: str | None) -> str:
        """The replica that performs messages for this room: this one when it owns the
        room, or takes it over now (nobody owned it), or when the room is live nowhere
        (the call here then refuses it as ended); else the room's owner."""
        if not self.shared or room_id is None or self._stage.owns(room_id):
            return self._me
        owner = (await self._ownership.owners([room_id])).get(room_id)
        if owner is None:
            await self._stage.restore_saved()  # nobody owns it: take it, if it is saved
            if not self._stage.owns(room_id):  # another replica was quicker, or
                owner = (await self._ownership.owners([room_id])).get(room_id)  # ended
        return owner or self._me

    async def _call(self, owner: str, socket: Socket, message: dict[str, Any]) -> None:
        call_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        self._callee[call_id] = owner
        user = socket.user
        self._post(
            owner,
            {
                "kind": "call",
                "id": call_id,
                "from": self._me,
                "socket": socket.socket_id,
                "user": [user.id, user.username, user.display_name],
                "message": message,
            },
        )
        try:
            reply = await asyncio.wait_for(future, CALL_TIMEOUT)
        except TimeoutError:
            # The owner is gone: the client reconnects and resumes with the next one.
            log.warning("room owner %s did not answer; closing the socket", owner)
            self._owner_of.pop(socket.socket_id, None)
            socket.close(CloseCode.SERVER_RESTART)
            return
        finally:
            self._pending.pop(call_id, None)
            self._callee.pop(call_id, None)
        if (reply.get("error") or {}).get("code") == ErrorCode.ROOM_MOVED:
            # The room moved on: the client resumes with its next owner.
            self._owner_of.pop(socket.socket_id, None)
            socket.close(CloseCode.SERVER_RESTART)
            return
        self._raise(reply)

    # -- HTTP requests that change a live room -----------------------------------------

    async def describe(self, room_id: str, user_id: str, description: str) -> bool:
        """A moderator changes the live room's description (wherever it is owned)."""
        changed = await self._at_owner(room_id, "describe", [room_id, user_id, description])
        return bool(changed)

    async def new_link(self, room_id: str, user_id: str) -> str:
        """A moderator makes a link into the closed room (wherever it is owned)."""
        return str(await self._at_owner(room_id, "link", [room_id, user_id]))

    async def end_if_live(self, room_id: str, reason: str) -> bool:
        """End the room if it is live (an admin's action), wherever it is owned."""
        return bool(await self._at_owner(room_id, "end", [room_id, reason]))

    async def _perform_op(self, op: str, args: list[Any]) -> Any:
        stage = self._stage
        match op:
            case "describe":
                result: Any = await stage.descriptions.change(*args)
            case "link":
                result = stage.links.new(*args)
            case _:
                result = await stage.end_if_live(*args)
        await self._durable(args[0])
        return result

    async def _at_owner(self, room_id: str, op: str, args: list[Any]) -> Any:
        owner = await self._owner(room_id)
        if owner == self._me:
            return await self._perform_op(op, args)
        call_id = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        self._callee[call_id] = owner
        self._post(owner, {"kind": "op", "id": call_id, "from": self._me, "op": op, "args": args})
        try:
            reply = await asyncio.wait_for(future, CALL_TIMEOUT)
        except TimeoutError:
            raise Unavailable(
                "The room is moving to another server.", ErrorCode.ROOM_MOVED
            ) from None
        finally:
            self._pending.pop(call_id, None)
            self._callee.pop(call_id, None)
        self._raise(reply)
        return reply.get("result")

    async def _answer_op(self, call: dict[str, Any]) -> None:
        result: Any = None
        error: dict[str, Any] | None = None
        try:
            result = await self._perform_op(call["op"], call["args"])
        except TeahouseError as exc:
            error = {"code": exc.code, "message": exc.message}
        except Exception:
            log.exception("a room operation from %s failed", call["from"])
            error = {"code": ErrorCode.INTERNAL_ERROR, "message": "Something went wrong."}
        reply = {"kind": "reply", "id": call["id"], "result": result, "error": error}
        self._post(call["from"], reply)

    @staticmethod
    def _raise(reply: dict[str, Any]) -> None:
        """Raise the error a reply carries, as the owner raised it."""
        if (error := reply.get("error")) is None:
            return
        code = CODES[error["code"]]
        if error.get("retry_after") is not None:
            raise TooManyRequests(error["message"], code, error["retry_after"])
        raise TeahouseError(error["message"], code)

    # -- the bus ------------------------------------------------------------------------

    def fence_of(self, room_id: str) -> int:
        live = self._stage.live(room_id) if self._stage.owns(room_id) else None
        return live.fence if live else 0

    def tell(self, client: RemoteClient, payload: dict[str, Any]) -> None:
        """Something the owner sends one remote socket, in order with the rest."""
        payload |= {"socket": client.socket_id, "fence": client.fence}
        self._post(client.replica, payload)

    def _post(self, replica: str, payload: dict[str, Any]) -> None:
        """Queue a message for a replica: in the order of every other posted here."""
        self._bus.post(f"replica:{replica}", json.dumps(payload).encode())

    def _on_message(self, raw: bytes) -> None:
        payload = json.loads(raw)
        match payload["kind"]:
            case "call":
                self._spawn(self._answer(payload))
            case "op":
                self._spawn(self._answer_op(payload))
            case "reply":
                if (future := self._pending.get(payload["id"])) and not future.done():
                    future.set_result(payload)
            case "frame" | "room" | "close" as kind:
                self._deliver(kind, payload)
            case "gone":
                client = self._remotes.pop((payload["from"], payload["socket"]), None)
                if client is not None:
                    self._spawn(self._stage.disconnected(client, hold=payload["hold"]))

    def _deliver(self, kind: str, payload: dict[str, Any]) -> None:
        socket = self._sockets.get(payload["socket"])
        room_id = payload.get("room")
        if room_id and payload["fence"] < self._fences.get(room_id, 0):
            return  # an owner that lost the room, still talking
        if room_id:
            self._fences[room_id] = payload["fence"]
        if socket is None:
            return
        if kind == "frame":
            socket.send(payload["frame"])
        elif kind == "room":
            socket.room_id = payload["in"]
            if payload["in"] is None:
                self._owner_of.pop(socket.socket_id, None)
        else:
            self._owner_of.pop(socket.socket_id, None)
            socket.close(CloseCode.SERVER_RESTART)

    async def _answer(self, call: dict[str, Any]) -> None:
        """Perform a remote socket's message as the owner, and reply."""
        key = (call["from"], call["socket"])
        client = self._remotes.get(key)
        if client is None:
            client = self._remotes[key] = RemoteClient(
                self, call["from"], call["socket"], UserRef(*call["user"])
            )
        error: dict[str, Any] | None = None
        try:
            message = parse_client_message(call["message"])
            room_id = message.room if isinstance(message, Join) else client.room_id
            if room_id is not None and not self._stage.owns(room_id):
                # The caller thought this replica owned it: it let the room go since.
                raise Unavailable("The room moved to another server.", ErrorCode.ROOM_MOVED)
            await self._calls.perform(client, message)
            await self._durable(client.room_id or room_id)
        except TooManyRequests as exc:
            error = {"code": exc.code, "message": exc.message, "retry_after": exc.retry_after}
        except TeahouseError as exc:
            error = {"code": exc.code, "message": exc.message}
        except Exception:
            log.exception("a room call from %s failed", call["from"])
            error = {"code": ErrorCode.INTERNAL_ERROR, "message": "Something went wrong."}
        self._post(call["from"], {"kind": "reply", "id": call["id"], "error": error})

    async def _durable(self, room_id: str | None) -> None:
        room = self._stage.live(room_id) if room_id and self._stage.owns(room_id) else None
        if room is not None:
            await self._stage.keeper.durable(room)

    def _let_go(self, clients: list[Client]) -> None:
        """This process let a room go: its clients find the new owner by reconnecting."""
        for client in clients:
            if isinstance(client, RemoteClient):
                self._remotes.pop((client.replica, client.socket_id), None)
                self.tell(client, {"kind": "close", "room": None})
            elif (socket := self._sockets.get(getattr(client, "socket_id", ""))) is not None:
                socket.close(CloseCode.SERVER_RESTART)

    # -- the others' rooms, mirrored ----------------------------------------------------

    def _announce(self, room: LiveRoom | str, record: str | None) -> None:
        if isinstance(room, str):
            news: dict[str, Any] = {"ended": room}
        else:
            info = INFO.dump_python(room.info, mode="json")
            news = {"room": room.info.id, "fence": room.fence, "info": info, "record": record}
        self._bus.post("rooms", json.dumps(news).encode())

    def _on_room_news(self, raw: bytes) -> None:
        news = json.loads(raw)
        if (ended := news.get("ended")) is not None:
            self._stage.mirrors.drop(ended)
        elif not self._stage.owns(news["room"]):
            info = INFO.validate_python(news["info"])
            self._stage.mirror(info, RECORD.validate_json(news["record"]), news["fence"])

    # -- watching the others --------------------------------------------------------------

    async def _watch(self) -> None:
        swept = 0.0
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(WATCH_EVERY)
            try:
                await self._bus_alive()
                await self._check_owners()
                await self._check_remote_replicas()
                await self._check_callees()
                if loop.time() - swept >= SWEEP_EVERY:
                    swept = loop.time()
                    await self._stage.restore_saved()
                    self._stage.mirrors.forget_stale()
            except Exception:
                log.exception("watching the other replicas failed")

    async def _bus_alive(self) -> None:
        redis = getattr(self._bus, "redis", None)
        if redis is not None:
            await redis.set(self._alive_key(self._me), b"1", px=LEASE_MS)

    def _alive_key(self, replica: str) -> str:
        key = getattr(self._bus, "key", None)
        return key(f"alive:{replica}") if key else f"alive:{replica}"

    async def _check_owners(self) -> None:
        """Close the sockets whose room's owner is not the one they joined through."""
        watched = {
            sid: socket.room_id
            for sid, socket in self._sockets.items()
            if sid in self._owner_of and socket.room_id
        }
        owners = await self._ownership.owners(set(watched.values()))
        for sid, room_id in watched.items():
            if owners.get(room_id) != self._owner_of.get(sid) and (s := self._sockets.get(sid)):
                self._owner_of.pop(sid, None)
                s.close(CloseCode.SERVER_RESTART)

    async def _check_remote_replicas(self) -> None:
        """Hold the places of remote sockets whose replica is gone."""
        replicas = sorted({replica for replica, _ in self._remotes})
        redis = getattr(self._bus, "redis", None)
        if not replicas or redis is None:
            return
        alive = await redis.mget([self._alive_key(r) for r in replicas])
        gone = {r for r, up in zip(replicas, alive, strict=True) if not up}
        for key in [key for key in self._remotes if key[0] in gone]:
            client = self._remotes.pop(key)
            await self._stage.disconnected(client, hold=True)

    async def _check_callees(self) -> None:
        """Give up at once on the calls waiting for a replica that stopped saying it is
        alive (it died): their sockets go on to the room's next owner."""
        redis = getattr(self._bus, "redis", None)
        callees = sorted(set(self._callee.values()))
        if not callees or redis is None:
            return
        alive = await redis.mget([self._alive_key(r) for r in callees])
        gone = {r for r, up in zip(callees, alive, strict=True) if not up}
        for call_id, callee in list(self._callee.items()):
            future = self._pending.get(call_id)
            if callee in gone and future is not None and not future.done():
                future.set_exception(TimeoutError())

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.append(task)
        task.add_done_callback(self._tasks.remove)
