"""Run the page on localhost: a threaded WSGI server that a test or ``floors app`` starts and stops."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Mapping

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from floors.app.page import create_app
from floors.app.session import Session

HOST = "127.0.0.1"  # this computer only: the page is never offered to the network

__all__ = ["HOST", "create_app", "listen", "serve"]


def listen(session: Session, country: str | None = None, port: int = 0, *, start: str | None = None,
          values: Mapping[str, str] | None = None) -> BaseWSGIServer:
    """The app's server, bound to ``port`` on localhost (0: any free port; ``server.server_port`` says which)
    and not yet serving: call ``serve_forever()``, in a thread for tests. The page opens on ``country``,
    the ``start`` scenario and lever ``values`` (path → text, as ``--set`` takes them)."""
    page = create_app(session, country, start=start, values=values)
    return make_server(HOST, port, page.server, threaded=True, request_handler=_QuietHandler)


class _QuietHandler(WSGIRequestHandler):
    """No line on the terminal per request: a page of levers makes many."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def serve(session: Session, country: str | None = None, port: int = 8050, open_browser: bool = True, *,
          start: str | None = None, values: Mapping[str, str] | None = None) -> None:
    """Serve the app until interrupted, opening it in the browser once it listens."""
    server = listen(session, country, port, start=start, values=values)
    url = f"http://{HOST}:{server.server_port}/"
    print(f"floors app: {url}  (Ctrl+C to stop)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.serve_forever()  # until Ctrl+C, which werkzeug's server takes as the end (and closes itself)
    print("floors app stopped", flush=True)
