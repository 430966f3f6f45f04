"""Kamailio as the tests' registrar and proxy: rendered config, own foreground process.

    with Kamailio(tmp_path / "kam", {"agent1001": "pw1001"}, routes={"echo": "127.0.0.1:5099"}) as kam:
        kam.registrar_uri      # "sip:127.0.0.1:PORT"
        kam.proxy_uri("tcp")   # "sip:127.0.0.1:PORT;transport=tcp;lr"
        kam.wait_registered("agent1001", timeout=5)

    with Kamailio(tmp_path / "kam", users, tls=True) as kam:   # a TLS listener as well
        kam.tls_registrar_uri  # "sip:127.0.0.1:TLS_PORT;transport=tls"
        kam.ca_file            # the PEM file a client trusts to verify the server

The policy (authentication, static routes, 404/480) is described at the top of
kamailio.cfg.tmpl. Users and routes can also be changed while it runs (`set_user`,
`set_route`), so a module-wide Kamailio can route to a SIPp started later by one test.

With tls=True the certificates are made for the run with the openssl command: a throwaway CA
(`ca_file`) and a server certificate for 127.0.0.1 (CN and IP subjectAltName) that it signs.
Without Kamailio's TLS module (Debian package kamailio-tls-modules) or openssl, constructing
Kamailio(tls=True) skips the test, or fails it under CI=true (tests/rig/fixtures.py missing()).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from tests.helpers.waiting import wait_until
from tests.rig import HOST, free_port, orphan_proof, stop_process

TEMPLATE = Path(__file__).with_name("kamailio.cfg.tmpl")
MODULE_DIRS = (
    "/usr/lib/x86_64-linux-gnu/kamailio/modules",
    "/usr/lib/aarch64-linux-gnu/kamailio/modules",
    "/usr/lib64/kamailio/modules",
    "/usr/lib/kamailio/modules",
    "/usr/local/lib64/kamailio/modules",
    "/usr/local/lib/kamailio/modules",
)
# Users, passwords and route targets go into the config and kamcmd arguments verbatim.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._~+-]{1,64}$")
_SAFE_SECRET = re.compile(r"^[A-Za-z0-9._~+!*@#%^&()=,-]{1,128}$")
_HOSTPORT = re.compile(r"^[A-Za-z0-9.-]+:\d{1,5}(;transport=(udp|tcp|tls))?$")
# File paths that go into tls.cfg and a quoted modparam without escaping.
_SAFE_PATH = re.compile(r"^[A-Za-z0-9/._+-]+$")
_UNIX_PATH_MAX = 100  # sun_path is 108 bytes; keep a margin
CERT_DAYS = 2  # the rig's certificates are made per run; they need not outlive it


class KamailioError(RuntimeError):
    pass


def kamailio_binary() -> str | None:
    return shutil.which("kamailio") or _sbin("kamailio")


def kamcmd_binary() -> str | None:
    return shutil.which("kamcmd") or _sbin("kamcmd")


def _sbin(name: str) -> str | None:
    for folder in ("/usr/sbin", "/usr/local/sbin"):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def modules_dir() -> str | None:
    for folder in MODULE_DIRS:
        if (Path(folder) / "tm.so").is_file():
            return folder
    return None


def openssl_binary() -> str | None:
    return shutil.which("openssl")


def tls_missing_reason() -> str | None:
    """Why Kamailio(tls=True) cannot run here, or None when it can."""
    folder = modules_dir()
    if kamailio_binary() is None or kamcmd_binary() is None or folder is None:
        return "kamailio is not installed (Debian package kamailio; ./test installs it as root)"
    if not (Path(folder) / "tls.so").is_file():
        return (
            "Kamailio's TLS module is not installed "
            "(Debian package kamailio-tls-modules; ./test installs it as root)"
        )
    if openssl_binary() is None:
        return "the openssl command is not installed (Debian package openssl)"
    return None


@dataclass(frozen=True)
class TlsFiles:
    """PEM files for the rig's TLS listener: the CA a client trusts, the server's cert and key."""

    ca_file: Path
    cert_file: Path
    key_file: Path


_CA_CNF = """[req]
prompt = no
distinguished_name = dn
x509_extensions = v3_ca
[dn]
CN = SeatDesk test rig CA {token}
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

_SERVER_CNF = """[req]
prompt = no
distinguished_name = dn
[dn]
CN = {host}
[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:{host}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def make_certificates(folder: Path, host: str = HOST, days: int = CERT_DAYS) -> TlsFiles:
    """A fresh CA and a server certificate for `host` (CN and IP SAN), EC P-256, via openssl.

    Only the CA file is for clients; the CA's key stays in `folder` and signs nothing else.
    """
    openssl = openssl_binary()
    if openssl is None:
        raise KamailioError("the openssl command is not installed (Debian package openssl)")
    folder.mkdir(parents=True, exist_ok=True)
    ca_cnf, server_cnf = folder / "ca.cnf", folder / "server.cnf"
    ca_cnf.write_text(_CA_CNF.format(token=secrets.token_hex(4)), encoding="utf-8")
    server_cnf.write_text(_SERVER_CNF.format(host=host), encoding="utf-8")
    files = TlsFiles(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    ca_key, csr = folder / "ca.key", folder / "server.csr"
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    steps = [
        # The CA: self-signed, CA:TRUE.
        [openssl, "req", "-x509", *new_key, "-keyout", str(ca_key), "-out", str(files.ca_file)]
        + ["-days", str(days), "-config", str(ca_cnf)],
        # The server's key and signing request, CN = host.
        [openssl, "req", "-new", *new_key, "-keyout", str(files.key_file), "-out", str(csr)]
        + ["-config", str(server_cnf)],
        # The CA signs it, adding the subjectAltName that clients check.
        [openssl, "x509", "-req", "-in", str(csr), "-CA", str(files.ca_file)]
        + ["-CAkey", str(ca_key), "-set_serial", f"0x{secrets.token_hex(8)}"]
        + ["-days", str(days), "-out", str(files.cert_file)]
        + ["-extfile", str(server_cnf), "-extensions", "v3_server"],
    ]
    for argv in steps:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
        if done.returncode != 0:
            raise KamailioError(f"{' '.join(argv[:3])} failed: {done.stderr.strip()}")
    return files


class Kamailio:
    """One Kamailio on 127.0.0.1, UDP and TCP on the same free port, state in memory only."""

    domain = HOST

    def __init__(
        self,
        workdir: Path,
        users: dict[str, str],
        routes: dict[str, str] | None = None,
        *,
        port: int | None = None,
        debug: int = 2,
        tls: bool = False,
        tls_port: int | None = None,
    ) -> None:
        if tls:
            reason = tls_missing_reason()
            if reason is not None:
                from tests.rig.fixtures import missing  # pytest only: the rig's skip rule

                missing(reason)
        self.workdir = Path(workdir)
        self.users = dict(users)
        self.routes = dict(routes or {})
        for user, password in self.users.items():
            _check_user(user, password)
        for user, target in self.routes.items():
            _check_route(user, target)
        self.debug = debug
        self._port = port
        self.tls = tls
        self._tls_port = tls_port
        self.tls_files: TlsFiles | None = None
        self.tls_cfg_path = self.workdir / "tls.cfg"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None
        self._short_dir: str | None = None
        self.cfg_path = self.workdir / "kamailio.cfg"
        self.log_path = self.workdir / "kamailio.log"
        self.ctl_socket = ""

    # -- addresses ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise KamailioError("Kamailio has no port before start()")
        return self._port

    @property
    def tls_port(self) -> int:
        """The TLS listener's port (tls=True only)."""
        if not self.tls:
            raise KamailioError("this Kamailio has no TLS listener (tls=False)")
        if self._tls_port is None:
            raise KamailioError("Kamailio has no TLS port before start()")
        return self._tls_port

    @property
    def ca_file(self) -> str:
        """The PEM file of the CA that signed the server certificate (tls=True only)."""
        if not self.tls:
            raise KamailioError("this Kamailio has no TLS listener (tls=False)")
        if self.tls_files is None:
            raise KamailioError("Kamailio has no certificates before start()")
        return str(self.tls_files.ca_file)

    @property
    def registrar_uri(self) -> str:
        return f"sip:{self.domain}:{self.port}"

    @property
    def tls_registrar_uri(self) -> str:
        return f"sip:{self.domain}:{self.tls_port};transport=tls"

    def proxy_uri(self, transport: str = "udp") -> str:
        """The outbound proxy URI for a client (loose routing), e.g. for pjsua2's proxies."""
        transport = transport.lower()
        if transport not in ("udp", "tcp", "tls"):
            raise ValueError(f"unsupported transport {transport!r} (udp, tcp or tls)")
        if transport == "tls":
            return f"sip:{self.domain}:{self.tls_port};transport=tls;lr"
        suffix = ";transport=tcp" if transport == "tcp" else ""
        return f"sip:{self.domain}:{self.port}{suffix};lr"

    def uri(self, user: str) -> str:
        """A user's address of record here: sip:USER@127.0.0.1:PORT."""
        return f"sip:{user}@{self.domain}:{self.port}"

    # -- life cycle --------------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        if self.is_running():
            return
        binary = kamailio_binary()
        modules = modules_dir()
        if binary is None or modules is None:
            raise KamailioError("kamailio is not installed (Debian package: kamailio)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self._port is None:
            self._port = free_port(udp=True, tcp=True)
        self.ctl_socket = self._ctl_socket_path()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.ctl_socket)
        if self.tls:
            self._prepare_tls()
        self.cfg_path.write_text(self._render(modules), encoding="utf-8")
        runtime_dir = Path(self.ctl_socket).parent
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the child's lifetime
        self._log_handle = log
        try:
            self._proc = subprocess.Popen(
                orphan_proof(
                    [
                        binary,
                        "-DD",  # no daemon: the creator process stays our child
                        "-E",  # log to stderr (our log file)
                        "-f",
                        str(self.cfg_path),
                        "-Y",
                        str(runtime_dir),
                        "-P",
                        str(runtime_dir / "kamailio.pid"),
                        "-m",
                        "32",
                        "-M",
                        "4",
                    ]
                ),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=self.workdir,
            )
        except BaseException:
            log.close()
            self._log_handle = None
            raise
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> int | None:
        """Stop Kamailio (SIGTERM, then SIGKILL) and reap it; returns its exit code."""
        code = None
        if self._proc is not None:
            code = stop_process(self._proc, grace=3.0)
            self._proc = None
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None
        if self.ctl_socket:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.ctl_socket)
        if self._short_dir is not None:
            shutil.rmtree(self._short_dir, ignore_errors=True)
            self._short_dir = None
        return code

    def restart(self, timeout: float = 10.0) -> None:
        """Stop and start again on the same port. The location table starts empty."""
        self.stop()
        self.start(timeout=timeout)

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def __enter__(self) -> Kamailio:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- run-time control over the ctl socket (kamcmd) ---------------------------------------
    def rpc(self, *args: str, timeout: float = 5.0) -> subprocess.CompletedProcess[str]:
        """Run one kamcmd RPC command against this Kamailio; returns the completed process."""
        kamcmd = kamcmd_binary()
        if kamcmd is None:
            raise KamailioError("kamcmd is not installed (it comes with the kamailio package)")
        if not self.is_running():
            raise KamailioError("Kamailio is not running")
        return subprocess.run(
            [kamcmd, "-s", f"unix:{self.ctl_socket}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def contacts(self, user: str) -> list[str]:
        """The contacts registered for `user` right now (empty when none)."""
        done = self.rpc("ul.lookup", "location", _s(user))
        if done.returncode != 0 or "error" in done.stdout.lower()[:40]:
            return []
        return re.findall(r"Address:\s*(\S+)", done.stdout)

    def registered(self, user: str) -> bool:
        return bool(self.contacts(user))

    def wait_registered(self, user: str, timeout: float = 5.0, registered: bool = True) -> None:
        """Wait until `user` has (or, registered=False, no longer has) a contact."""
        state = "registered" if registered else "unregistered"
        wait_until(lambda: self.registered(user) == registered, timeout, f"{user} {state}")

    def set_user(self, user: str, password: str) -> None:
        """Add a user (or change a password) while running; kept across restart()."""
        _check_user(user, password)
        self.users[user] = password
        if self.is_running():
            self._rpc_ok("htable.sets", "users", _s(user), _s(password))

    def set_route(self, user: str, target: str) -> None:
        """Route INVITEs etc. for R-URI `user` to `target` ("host:port"), also while running."""
        _check_route(user, target)
        self.routes[user] = target
        if self.is_running():
            self._rpc_ok("htable.sets", "routes", _s(user), _s(target))

    def remove_route(self, user: str) -> None:
        self.routes.pop(user, None)
        if self.is_running():
            self.rpc("htable.delete", "routes", _s(user))

    def set_fault(self, name: str, on: bool = True) -> None:
        """Switch one of the config's faults (see kamailio.cfg.tmpl) on or off while running."""
        if not _SAFE_NAME.match(name):
            raise KamailioError(f"bad fault name {name!r}")
        self._rpc_ok("htable.sets", "faults", name, "1" if on else "0")

    def _rpc_ok(self, *args: str) -> str:
        done = self.rpc(*args)
        if done.returncode != 0 or done.stdout.lower().startswith("error"):
            raise KamailioError(f"kamcmd {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    # -- internals ---------------------------------------------------------------------------
    def _ctl_socket_path(self) -> str:
        path = str(self.workdir.resolve() / "kamailio_ctl")
        if len(path) <= _UNIX_PATH_MAX:
            return path
        if self._short_dir is None:
            self._short_dir = tempfile.mkdtemp(prefix="kam")
        return os.path.join(self._short_dir, "ctl")

    def _prepare_tls(self) -> None:
        """Certificates (once per instance: a restart keeps them), the port and tls.cfg."""
        if self._tls_port is None:
            self._tls_port = free_port(udp=False, tcp=True)
        if self.tls_files is None:
            self.tls_files = make_certificates(self.workdir / "tls")
        files = self.tls_files
        for path in (files.cert_file, files.key_file, self.tls_cfg_path):
            if not _SAFE_PATH.match(str(path.resolve())):
                raise KamailioError(f"{path} has characters tls.cfg cannot take")
        # Kamailio's TLS profiles: TLS 1.2 or later, no client certificates asked or checked.
        self.tls_cfg_path.write_text(
            "[server:default]\n"
            "method = TLSv1.2+\n"
            "verify_certificate = no\n"
            "require_certificate = no\n"
            f"certificate = {files.cert_file.resolve()}\n"
            f"private_key = {files.key_file.resolve()}\n"
            "\n"
            "[client:default]\n"
            "method = TLSv1.2+\n"
            "verify_certificate = no\n"
            "require_certificate = no\n",
            encoding="utf-8",
        )

    def _render(self, modules: str) -> str:
        lines = [f'\t$sht(users=>{u}) = "{p}";' for u, p in sorted(self.users.items())]
        lines += [f'\t$sht(routes=>{u}) = "{t}";' for u, t in sorted(self.routes.items())]
        values = {
            "DEBUG": str(self.debug),
            "PORT": str(self.port),
            "DOMAIN": self.domain,
            "MODULES": modules,
            "CTL_SOCKET": self.ctl_socket,
            "AUTH_SECRET": secrets.token_hex(16),
            "HTABLE_INIT": "\n".join(lines) if lines else "\t$var(nothing) = 0;",
            "TLS_DEFINE": "#!define WITH_TLS" if self.tls else "# no TLS listener",
            "TLS_PORT": str(self._tls_port or 0),
            "TLS_CONFIG": str(self.tls_cfg_path.resolve()) if self.tls else "",
        }
        text = TEMPLATE.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(f"@@{key}@@", value)
        leftover = re.search(r"@@[A-Z_]+@@", text)
        if leftover:
            raise KamailioError(f"unrendered marker {leftover.group(0)} in {TEMPLATE.name}")
        return text

    def _wait_ready(self, timeout: float) -> None:
        """Until Kamailio answers an OPTIONS over UDP and accepts a TCP connection (and, with
        tls=True, completes a TLS handshake that verifies against the CA)."""
        deadline = time.monotonic() + timeout
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((HOST, 0))
            sock.settimeout(0.05)
            while True:
                if self._proc is None or self._proc.poll() is not None:
                    raise KamailioError(
                        f"kamailio exited during start-up; its log:\n{self.log_text()[-4000:]}"
                    )
                sock.sendto(_options_probe(sock.getsockname()[1], self.port), (HOST, self.port))
                try:
                    data = sock.recv(65535)
                except (TimeoutError, ConnectionRefusedError):
                    data = b""
                if data.startswith(b"SIP/2.0 200") and self._tcp_accepts() and self._tls_ready():
                    return
                if time.monotonic() >= deadline:
                    raise KamailioError(
                        f"kamailio did not answer within {timeout} s; its log:\n"
                        f"{self.log_text()[-4000:]}"
                    )

    def _tcp_accepts(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def _tls_ready(self) -> bool:
        if not self.tls:
            return True
        context = ssl.create_default_context(cafile=self.ca_file)
        try:
            with (
                socket.create_connection((HOST, self.tls_port), timeout=0.5) as raw,
                context.wrap_socket(raw, server_hostname=HOST) as tls,
            ):
                with contextlib.suppress(OSError):
                    tls.unwrap()  # a clean close_notify: no "connection reset" in Kamailio's log
                return True
        except ssl.SSLCertVerificationError as exc:  # not a start-up race: a broken certificate
            raise KamailioError(f"the rig's TLS certificate does not verify: {exc}") from exc
        except OSError:
            return False


def _options_probe(local_port: int, port: int) -> bytes:
    tag = uuid.uuid4().hex[:8]
    branch = "z9hG4bK" + uuid.uuid4().hex[:16]
    return (
        f"OPTIONS sip:{HOST}:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {HOST}:{local_port};branch={branch};rport\r\n"
        "Max-Forwards: 10\r\n"
        f"From: <sip:probe@{HOST}:{local_port}>;tag={tag}\r\n"
        f"To: <sip:{HOST}:{port}>\r\n"
        f"Call-ID: {uuid.uuid4().hex}@{HOST}\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode("ascii")


def _s(value: str) -> str:
    """A kamcmd argument that stays a string ("9196" would otherwise be sent as a number)."""
    return "s:" + value


def _check_user(user: str, password: str) -> None:
    if not _SAFE_NAME.match(user):
        raise ValueError(f"user name {user!r} has characters the rig does not allow")
    if not _SAFE_SECRET.match(password):
        raise ValueError(f"password for {user!r} has characters the rig does not allow")


def _check_route(user: str, target: str) -> None:
    if not _SAFE_NAME.match(user):
        raise ValueError(f"route user {user!r} has characters the rig does not allow")
    if not _HOSTPORT.match(target):
        raise ValueError(f"route target {target!r} is not host:port")
