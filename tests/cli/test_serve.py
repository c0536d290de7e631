from __future__ import annotations

import pytest

from lyceum.errors import LyceumError
from lyceum.server.keys import KeyStore
from lyceum.server.run import InsecureBindError, check_bind
from lyceum.store.db import open_database


def test_keys_create_list_revoke(cli, scripted_workspace):
    created = cli("serve", "keys", "create", "alice", "--rate-limit", "30")
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("lyc_")

    listed = cli("serve", "keys", "list")
    assert "alice" in listed.output
    assert token not in listed.output
    assert "30" in listed.output

    revoked = cli("serve", "keys", "revoke", "alice")
    assert revoked.exit_code == 0
    assert "no API keys" in cli("serve", "keys", "list").output
    assert "alice" in cli("serve", "keys", "list", "--all").output


def test_keys_list_as_json_never_holds_the_token(cli, scripted_workspace):
    import json

    token = cli("serve", "keys", "create", "bob", "--admin").output.strip().splitlines()[-1]
    listed = cli("serve", "keys", "list", "--json")
    assert listed.exit_code == 0, listed.output
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["name"] == "bob" and row["admin"] is True and row["revoked_at"] is None
    assert token not in listed.stdout and token.startswith(row["prefix"])


def test_revoking_an_unknown_key_is_an_error(cli, scripted_workspace):
    result = cli("serve", "keys", "revoke", "nobody")
    assert result.exit_code != 0
    assert isinstance(result.exception, LyceumError)
    assert "nobody" in str(result.exception)


def test_serve_refuses_a_public_host_without_keys(cli, scripted_workspace):
    result = cli("serve", "--host", "0.0.0.0", "--port", "0")
    assert isinstance(result.exception, InsecureBindError)
    assert "without API keys" in str(result.exception)
    assert "lyceum serve keys create" in result.exception.hint


def test_bind_check_allows_loopback_and_keyed_public_hosts(scripted_workspace):
    from lyceum.config import load_settings

    keys = KeyStore(open_database(load_settings(scripted_workspace).database_url))
    check_bind("127.0.0.1", keys)
    check_bind("localhost", keys)
    with pytest.raises(InsecureBindError):
        check_bind("0.0.0.0", keys)
    keys.create("ops")
    check_bind("0.0.0.0", keys)
