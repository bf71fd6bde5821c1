"""The map page gets the role matrix with its config, so the workbench offers each role the
controls it may use (issue 15); the server still decides every call."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.auth.matrix import PERMISSIONS, PUBLIC


def test_map_config_carries_the_role_matrix(client: TestClient) -> None:
    sent = client.get("/api/v1/map-config").json()["permissions"]
    assert set(sent) == set(PERMISSIONS)
    for name, rule in PERMISSIONS.items():
        assert sent[name] == (PUBLIC if rule == PUBLIC else sorted(rule)), name
    assert sent["problems.map"] == "public"
    assert sent["users.admin"] == ["office"]
