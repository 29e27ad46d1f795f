"""Serving the built web client: its assets, and index.html for every app route."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from teahouse.api.errors import error_response
from teahouse.errors import ErrorCode

STATIC = Path(__file__).resolve().parent.parent / "static"

NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Teahouse</title>
<p>The web client has not been built. Run <code>make run</code>, or
<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>.</p>"""


def mount_web_client(app: FastAPI, static_dir: Path = STATIC) -> None:
    assets = static_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    index = static_dir / "index.html"
    # Top-level files of the build (manifest, icons, service worker), nothing else:
    # a fixed list also means no path from the URL ever reaches the file system.
    top_files = (
        {p.name: p for p in static_dir.iterdir() if p.is_file()} if static_dir.is_dir() else {}
    )

    @app.get("/{path:path}", include_in_schema=False)
    async def web_client(path: str) -> Response:
        if path.startswith("api/"):
            return error_response(ErrorCode.NOT_FOUND, "No such API route.")
        if path in top_files:
            return FileResponse(top_files[path])
        if "index.html" in top_files:
            return FileResponse(index, headers={"cache-control": "no-cache"})
        return HTMLResponse(NOT_BUILT, status_code=503)
