"""The secrets `./servicedesk run` makes for itself on a laptop: kept in the data folder, readable
by the user only, the same on every later run, and never made when the environment sets them."""
import importlib
import sys
from pathlib import Path

from cryptography.fernet import Fernet

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def load_seed():
    sys.path.insert(0, str(SCRIPTS))
    try:
        return importlib.import_module("seed")
    finally:
        sys.path.remove(str(SCRIPTS))


def test_the_1c_key_is_made_once_and_is_a_fernet_key(tmp_path, monkeypatch):
    monkeypatch.delenv("ONEC_SECRET_KEYS", raising=False)
    seed = load_seed()
    key = seed.onec_secret_keys(tmp_path)
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"1c-password")) == b"1c-password"
    assert seed.onec_secret_keys(tmp_path) == key
    assert (tmp_path / "onec-secret-key").stat().st_mode & 0o777 == 0o600


def test_the_environment_wins_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("ONEC_SECRET_KEYS", "configured-key")
    assert load_seed().onec_secret_keys(tmp_path) == "configured-key"
    assert not (tmp_path / "onec-secret-key").exists()
