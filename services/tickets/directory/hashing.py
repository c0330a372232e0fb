"""How secrets are kept: passwords hashed with argon2id at OWASP's parameters (19 MiB, 2 passes,
1 lane), in a real thread so that the service's green threads keep running while a hash is
computed; tokens (32 random bytes) by their SHA-256 digest, which is enough for a secret of that
entropy and lets a lookup be one indexed read."""
import hashlib
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
# Verified when the login is unknown, so that a miss costs what a wrong password costs.
DECOY_HASH = HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password):
    return tpool.execute(HASHER.hash, password)


def password_matches(stored_hash, password):
    try:
        return tpool.execute(HASHER.verify, stored_hash or DECOY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()
