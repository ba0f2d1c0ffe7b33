"""Login lockout: per user name and address together, and a higher limit per address."""

from __future__ import annotations

from django.conf import settings

LOGIN = "/konto/logga-in/"
# Documentation addresses (RFC 5737): only strings in REMOTE_ADDR, nothing is sent anywhere.
OFFICE = "192.0.2.10"
ELSEWHERE = [f"198.51.100.{n}" for n in range(1, 7)]


def attempt(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_limits_are_five_per_user_and_address_and_fifty_per_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]


def test_five_failures_lock_the_user_at_that_address(client, alice):
    for _ in range(5):
        attempt(client, "alice@alfa.se", "fel", OFFICE)
    response = attempt(client, "alice@alfa.se", "demo", OFFICE)
    assert response.status_code == 429
    assert "tillfälligt låst" in response.content.decode()


def test_failures_from_five_other_addresses_do_not_lock_the_user_out(client, alice):
    for address in ELSEWHERE[:5]:
        attempt(client, "alice@alfa.se", "fel", address)
    response = attempt(client, "alice@alfa.se", "demo", OFFICE)
    assert response.status_code == 302


def test_locked_user_still_logs_in_from_another_address(client, alice):
    for _ in range(5):
        attempt(client, "alice@alfa.se", "fel", ELSEWHERE[0])
    assert attempt(client, "alice@alfa.se", "demo", ELSEWHERE[0]).status_code == 429
    assert attempt(client, "alice@alfa.se", "demo", OFFICE).status_code == 302


def test_five_failures_from_one_address_do_not_lock_colleagues_behind_it(client, alice, bob):
    for n in range(5):
        attempt(client, f"gissning{n}@alfa.se", "fel", OFFICE)
    assert attempt(client, "bob@alfa.se", "demo", OFFICE).status_code == 302


def test_address_limit_locks_everyone_behind_the_address(client, alice, bob):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        attempt(client, f"gissning{n}@alfa.se", "fel", OFFICE)
    assert attempt(client, "bob@alfa.se", "demo", OFFICE).status_code == 429
    assert attempt(client, "bob@alfa.se", "demo", ELSEWHERE[0]).status_code == 302


def test_address_below_its_limit_is_not_locked(client, bob):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        attempt(client, f"gissning{n}@alfa.se", "fel", OFFICE)
    assert attempt(client, "bob@alfa.se", "demo", OFFICE).status_code == 302


def test_colleagues_success_does_not_reset_the_address_count(client, alice, bob):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        attempt(client, f"gissning{n}@alfa.se", "fel", OFFICE)
    assert attempt(client, "bob@alfa.se", "demo", OFFICE).status_code == 302
    client.logout()
    attempt(client, "sista@alfa.se", "fel", OFFICE)
    assert attempt(client, "alice@alfa.se", "demo", OFFICE).status_code == 429


def test_success_resets_the_users_own_failures_at_the_address(client, alice):
    for _ in range(4):
        attempt(client, "alice@alfa.se", "fel", OFFICE)
    assert attempt(client, "alice@alfa.se", "demo", OFFICE).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "alice@alfa.se", "fel", OFFICE)
    assert attempt(client, "alice@alfa.se", "demo", OFFICE).status_code == 302
