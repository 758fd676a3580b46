"""Password hashing: argon2id with fixed, stated parameters (RFC 9106's second recommended option)."""

from __future__ import annotations

from functools import cache

TIME_COST = 3
MEMORY_COST_KIB = 65536  # 64 MiB
PARALLELISM = 4
MIN_LENGTH = 6


@cache
def _hasher():
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM, hash_len=32, salt_len=16,
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@cache
def _stand_in_hash() -> str:
    import secrets

    return hash_password(secrets.token_hex(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches. A missing hash (unknown login, no password set) is checked against a
    stand-in all the same, so the answer takes as long and does not tell which logins exist."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash or _stand_in_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def check_strength(password: str) -> str | None:
    """None when acceptable, else the reason (a msgid for the translation layer)."""
    if len(password) < MIN_LENGTH:
        return "Password must have at least 6 characters."
    return None
