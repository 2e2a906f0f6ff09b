"""Settings come from the environment through typed helpers that fail loudly on bad values."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from fazhi.env import env_bool, env_int, env_list, env_path, env_str

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"
LONG_SECRET = "prod-" + "k7Q2xv9LmP4sR8tW" * 4


@pytest.fixture
def clean_env(monkeypatch):
    """An environment with no FAZHI_* and no DATABASE_URL variables."""
    for name in list(os.environ):
        if name.startswith("FAZHI_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    return monkeypatch


def load_settings(env: pytest.MonkeyPatch, **values: str) -> dict[str, Any]:
    """Execute fazhi/settings.py afresh under the given variables (Django's settings untouched)."""
    for name, value in values.items():
        env.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


# --- the helpers --------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["1", "true", "YES", "on", " True "])
def test_env_bool_accepts_true_spellings(clean_env, raw):
    clean_env.setenv("FAZHI_X", raw)
    assert env_bool("FAZHI_X", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_accepts_false_spellings(clean_env, raw):
    clean_env.setenv("FAZHI_X", raw)
    assert env_bool("FAZHI_X", True) is False


def test_env_bool_refuses_maybe(clean_env):
    clean_env.setenv("FAZHI_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FAZHI_X='maybe' is not a boolean"):
        env_bool("FAZHI_X", False)


def test_env_bool_default_when_unset(clean_env):
    assert env_bool("FAZHI_X", True) is True


def test_env_int_refuses_text_and_values_below_minimum(clean_env):
    clean_env.setenv("FAZHI_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("FAZHI_N", 1)
    clean_env.setenv("FAZHI_N", "-1")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 0"):
        env_int("FAZHI_N", 1, minimum=0)
    clean_env.setenv("FAZHI_N", "42")
    assert env_int("FAZHI_N", 1, minimum=0) == 42


def test_env_str_required_without_default(clean_env):
    with pytest.raises(ImproperlyConfigured, match="FAZHI_S is required"):
        env_str("FAZHI_S")
    assert env_str("FAZHI_S", "fallback") == "fallback"


def test_env_list_splits_on_commas_and_drops_blanks(clean_env):
    clean_env.setenv("FAZHI_L", " a.example , b.example,, ")
    assert env_list("FAZHI_L", []) == ["a.example", "b.example"]


def test_env_path_resolves_and_defaults(clean_env, tmp_path):
    assert env_path("FAZHI_P", tmp_path) == tmp_path
    clean_env.setenv("FAZHI_P", str(tmp_path / "x" / ".." / "y"))
    assert env_path("FAZHI_P", Path("/nowhere")) == tmp_path / "y"


def test_secret_read_from_a_file_variable(clean_env, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    clean_env.setenv("FAZHI_SECRET_KEY", "ignored-when-file-given")
    clean_env.setenv("FAZHI_SECRET_KEY_FILE", str(secret))
    assert env_str("FAZHI_SECRET_KEY") == "from-a-file"


def test_unreadable_file_variable_fails_loudly(clean_env, tmp_path):
    clean_env.setenv("FAZHI_SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="FAZHI_SECRET_KEY_FILE=.* cannot be read"):
        env_str("FAZHI_SECRET_KEY")


# --- the settings module under different environments -------------------------------------
def test_defaults_are_sqlite_chinese_and_shanghai(clean_env):
    s = load_settings(clean_env)
    assert s["LANGUAGE_CODE"] == "zh-hans"
    assert s["TIME_ZONE"] == "Asia/Shanghai"
    assert s["USE_TZ"] is True
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["CONN_MAX_AGE"] == 0
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert s["DEBUG"] is False
    assert s["PRODUCTION"] is False
    assert s["WHITENOISE_USE_FINDERS"] is True


def test_debug_maybe_stops_the_settings_from_loading(clean_env):
    with pytest.raises(ImproperlyConfigured, match="FAZHI_DEBUG"):
        load_settings(clean_env, FAZHI_DEBUG="maybe")


def test_bad_integer_setting_stops_the_settings_from_loading(clean_env):
    with pytest.raises(ImproperlyConfigured, match="FAZHI_SESSION_SECONDS"):
        load_settings(clean_env, FAZHI_SESSION_SECONDS="60")  # below the 300 s minimum


def test_database_url_selects_postgresql_with_persistent_connections(clean_env):
    s = load_settings(clean_env, DATABASE_URL="postgres://fazhi:pw@db.internal:5432/fazhi")
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"], db["USER"]) == (
        "fazhi",
        "db.internal",
        5432,
        "fazhi",
    )
    assert db["CONN_MAX_AGE"] == 60
    # off by default (a `SELECT 1` per request); on behind a pooler that drops idle connections
    assert db["CONN_HEALTH_CHECKS"] is False
    s = load_settings(
        clean_env, DATABASE_URL="postgres://fazhi@db/fazhi", FAZHI_CONN_HEALTH_CHECKS="1"
    )
    assert s["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def test_postgresql_connections_turn_jit_off_unless_asked(clean_env):
    # the registry's statements over ~40 tables cost seconds of JIT compilation at province scale
    s = load_settings(clean_env, DATABASE_URL="postgres://fazhi@db/fazhi")
    assert s["DATABASES"]["default"]["OPTIONS"] == {"options": "-c jit=off"}
    s = load_settings(clean_env, DATABASE_URL="postgres://fazhi@db/fazhi", FAZHI_PG_JIT="1")
    assert "options" not in s["DATABASES"]["default"].get("OPTIONS", {})
    s = load_settings(clean_env, DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert "options" not in s["DATABASES"]["default"]["OPTIONS"]


def test_conn_max_age_is_configurable(clean_env):
    s = load_settings(
        clean_env, DATABASE_URL="postgres://fazhi@localhost/fazhi", FAZHI_CONN_MAX_AGE="600"
    )
    assert s["DATABASES"]["default"]["CONN_MAX_AGE"] == 600


def test_production_requires_a_secret_key(clean_env):
    with pytest.raises(ImproperlyConfigured, match="FAZHI_SECRET_KEY is required"):
        load_settings(clean_env, FAZHI_PRODUCTION="1")


@pytest.mark.parametrize("key", ["short-secret", "x" * 49, "a" * 80])
def test_production_refuses_a_short_or_trivial_secret_key(clean_env, key):
    with pytest.raises(ImproperlyConfigured, match="at least 50 random characters"):
        load_settings(clean_env, FAZHI_PRODUCTION="1", FAZHI_SECRET_KEY=key)


def test_production_secret_key_from_file(clean_env, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(LONG_SECRET, encoding="utf-8")
    s = load_settings(clean_env, FAZHI_PRODUCTION="1", FAZHI_SECRET_KEY_FILE=str(secret))
    assert s["SECRET_KEY"] == LONG_SECRET


def test_production_hardens_cookies_https_and_static(clean_env):
    s = load_settings(
        clean_env, FAZHI_PRODUCTION="1", FAZHI_SECRET_KEY=LONG_SECRET, FAZHI_DEBUG="1"
    )
    assert s["DEBUG"] is False  # production wins over a stray FAZHI_DEBUG
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert s["WHITENOISE_USE_FINDERS"] is False
    assert s["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")


def test_development_secret_key_is_not_used_in_production(clean_env):
    dev = load_settings(clean_env)["SECRET_KEY"]
    prod = load_settings(clean_env, FAZHI_PRODUCTION="1", FAZHI_SECRET_KEY=LONG_SECRET)
    assert prod["SECRET_KEY"] == LONG_SECRET != dev


def test_allowed_hosts_and_trusted_origins_from_lists(clean_env):
    s = load_settings(
        clean_env,
        FAZHI_ALLOWED_HOSTS="fazhi.example.gov.cn, 10.1.2.3",
        FAZHI_CSRF_TRUSTED_ORIGINS="https://fazhi.example.gov.cn",
    )
    assert s["ALLOWED_HOSTS"] == ["fazhi.example.gov.cn", "10.1.2.3"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://fazhi.example.gov.cn"]


def test_login_lockout_and_session_length_are_configurable(clean_env):
    s = load_settings(
        clean_env,
        FAZHI_LOGIN_FAILURE_LIMIT="3",
        FAZHI_LOGIN_COOLOFF_MINUTES="30",
        FAZHI_SESSION_SECONDS="3600",
    )
    assert s["AXES_FAILURE_LIMIT"] == 3
    assert s["AXES_COOLOFF_TIME"] == 0.5
    assert s["SESSION_COOKIE_AGE"] == 3600
