"""The Docker files, checked without a Docker engine: the build context, the image's
user and mode, and the compose file's services, ports and secrets."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined), comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def _ignored(path: str) -> bool:
    """Whether .dockerignore keeps ``path`` out of the build context (last match wins)."""
    ignored = False
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
            ignored = not negate
    return ignored


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_every_copied_path_exists_and_is_in_the_build_context() -> None:
    copies = [rest.split() for keyword, rest in _instructions() if keyword == "COPY"]
    assert copies
    for *sources, _target in copies:
        for source in sources:
            assert (ROOT / source).exists(), source
            assert not _ignored(source), f"{source} is excluded by .dockerignore"
    # Nothing local or secret reaches the context.
    for private in (".venv", ".cdp", "docker.env", ".env", "tests", ".git"):
        assert _ignored(private), private


def test_the_image_runs_locked_in_production_as_a_non_root_user() -> None:
    steps = _instructions()
    runs = " ".join(rest for keyword, rest in steps if keyword == "RUN")
    assert "--require-hashes -r requirements.lock" in runs
    assert "pip install --no-deps ." in runs
    assert "pixeltable" not in (ROOT / "requirements.lock").read_text()
    [user] = [rest for keyword, rest in steps if keyword == "USER"]
    assert user.split(":")[0] not in ("root", "0")
    # USER comes after the last RUN: nothing runs as root once it is set.
    order = [keyword for keyword, _ in steps]
    assert order.index("USER") > max(i for i, k in enumerate(order) if k == "RUN")
    env = " ".join(rest for keyword, rest in steps if keyword == "ENV")
    assert re.search(r"\bCDP_ENV=production\b", env)
    assert steps[-1] == ("CMD", '["cdp", "serve"]')


def test_compose_publishes_only_the_api_and_takes_secrets_from_an_env_file() -> None:
    services = _compose()["services"]
    assert set(services) == {"db", "api"}
    assert "ports" not in services["db"]
    assert services["api"]["ports"] == ["8000:8000"]
    example = (ROOT / "docker.env.example").read_text()
    for name, service in services.items():
        assert service["env_file"] == "docker.env", name
        environment = service.get("environment", {})
        # No secret written into the compose file itself.
        for key in environment:
            assert not re.search(r"PASSWORD|SECRET|KEY|DATABASE_URL", key), (name, key)
        # Production mode stays the image's: GraphiQL and introspection off.
        assert "CDP_ENV" not in environment
    for key in ("POSTGRES_PASSWORD", "CDP_DATABASE_URL", "CDP_ENCRYPTION_KEY"):
        assert re.search(rf"^{key}=", example, flags=re.M), key
    assert "CDP_ENV" not in example
    assert "docker.env" in (ROOT / ".gitignore").read_text().split()
    assert services["api"]["build"] == "."
    assert services["api"]["depends_on"]["db"]["condition"] == "service_healthy"
