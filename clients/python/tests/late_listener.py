"""A TCP port that refuses connections until told to forward them to a real node.

Stands in for a node that is restarting: calls to it fail with UNAVAILABLE until
:meth:`LateListener.open_after` has passed, then reach the node through it unchanged.
"""

from __future__ import annotations

import socket
import threading
from typing import List, Tuple


class LateListener:
    def __init__(self, target: str):
        host, port = target.rsplit(":", 1)
        self._target: Tuple[str, int] = (host, int(port))
        # Take a free port, then let it go: nothing listens there until open_after.
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{probe.getsockname()[1]}"
        probe.close()
        self._sockets: List[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False

    def open_after(self, seconds: float) -> None:
        """Starts listening (and forwarding) ``seconds`` from now, in a background thread."""
        timer = threading.Timer(seconds, self._listen)
        timer.daemon = True
        timer.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for s in self._sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def _track(self, s: socket.socket) -> bool:
        with self._lock:
            if self._closed:
                s.close()
                return False
            self._sockets.append(s)
            return True

    def _listen(self) -> None:
        host, port = self.address.rsplit(":", 1)
        server = socket.create_server((host, int(port)))
        if not self._track(server):
            return
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self._target)
            if not self._track(client) or not self._track(upstream):
                upstream.close()
                return
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass
