"""The clinic's data key: made once, wrapped per user, written out once as a recovery key.

A clinic database is encrypted with SQLCipher under a key derived from a 128-bit clinic secret.
The secret is never stored in clear: each user's password (argon2id) wraps it with AES-GCM,
and the recovery key printed for the clinic's safe is the secret itself, written in 28 letters
and digits with a check. Backups and bundles use the same secret, so whoever may open the clinic
may open its backups, and a stolen PC, backup or stick gives nothing without a password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.errors import ValidationError

SECRET_BYTES = 16
# argon2id for the key that wraps the secret: about 0.1 s on a clinic PC, 64 MiB of memory.
TIME_COST = 3
MEMORY_KIB = 64 * 1024
PARALLELISM = 2
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"        # Crockford's base32: no I, L, O, U
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_secret() -> bytes:
    """A fresh clinic secret."""
    return secrets.token_bytes(SECRET_BYTES)


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return hmac.new(secret, b"cunyi/" + purpose, hashlib.sha256).digest()


def database_key(secret: bytes) -> str:
    """The SQLCipher raw key for `PRAGMA key` (no key derivation at open: the secret is random)."""
    return "x'" + _derive(secret, b"sqlcipher-v1").hex() + "'"


def key_id(secret: bytes) -> str:
    """A short public name of the secret: tells which key a file or key file belongs to."""
    return _derive(secret, b"key-id").hex()[:16]


# --- the recovery key ---------------------------------------------------------------------


def _check(body: str) -> str:
    digest = hashlib.sha256(body.encode()).digest()
    return _ALPHABET[digest[0] % 32] + _ALPHABET[digest[1] % 32]


def recovery_key(secret: bytes) -> str:
    """The secret as 7 groups of 4 (26 base32 letters and digits, then 2 of check)."""
    number = int.from_bytes(secret, "big")
    body = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(26)))
    text = body + _check(body)
    return "-".join(text[i:i + 4] for i in range(0, 28, 4))


def parse_recovery_key(text: str) -> bytes:
    """The secret from a typed recovery key; spaces, dashes, case and O/0, I/L/1 slips forgiven."""
    clean = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_TYPO)
    if len(clean) != 28 or any(ch not in _ALPHABET for ch in clean):
        raise ValidationError("恢复密钥应为28个字母和数字（7组，每组4个）", field="recovery_key")
    body, check = clean[:26], clean[26:]
    if _check(body) != check:
        raise ValidationError("恢复密钥有误（校验不符），请逐组核对", field="recovery_key")
    number = 0
    for ch in body:
        number = number * 32 + _ALPHABET.index(ch)
    if number >> (8 * SECRET_BYTES):
        raise ValidationError("恢复密钥有误，请逐组核对", field="recovery_key")
    return number.to_bytes(SECRET_BYTES, "big")


# --- wrapping the secret under a password ---------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Wrap:
    """The secret sealed under one user's password; stored in the key file, safe to read."""

    user_id: str
    salt: str
    nonce: str
    sealed: str
    time_cost: int = TIME_COST
    memory_kib: int = MEMORY_KIB
    parallelism: int = PARALLELISM

    def as_dict(self) -> dict[str, object]:
        return {"user_id": self.user_id, "salt": self.salt, "nonce": self.nonce,
                "sealed": self.sealed, "time_cost": self.time_cost,
                "memory_kib": self.memory_kib, "parallelism": self.parallelism}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Wrap:
        return cls(user_id=str(data["user_id"]), salt=str(data["salt"]), nonce=str(data["nonce"]),
                   sealed=str(data["sealed"]), time_cost=int(str(data.get("time_cost", TIME_COST))),
                   memory_kib=int(str(data.get("memory_kib", MEMORY_KIB))),
                   parallelism=int(str(data.get("parallelism", PARALLELISM))))


def _kek(password: str, salt: bytes, wrap_params: tuple[int, int, int]) -> bytes:
    time_cost, memory_kib, parallelism = wrap_params
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=time_cost,
                           memory_cost=memory_kib, parallelism=parallelism, hash_len=32,
                           type=Type.ID)


def _aad(user_id: str) -> bytes:
    return b"cunyi-wrap-v1|" + user_id.encode("utf-8")


def wrap(secret: bytes, password: str, user_id: str) -> Wrap:
    """Seal `secret` under `password` for `user_id` (the id is bound in, so wraps can't be swapped)."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _kek(password, salt, (TIME_COST, MEMORY_KIB, PARALLELISM))
    sealed = AESGCM(kek).encrypt(nonce, secret, _aad(user_id))
    return Wrap(user_id=user_id, salt=_b64(salt), nonce=_b64(nonce), sealed=_b64(sealed))


def unwrap(w: Wrap, password: str) -> bytes | None:
    """The secret, or None when the password is not the one it was sealed under."""
    try:
        kek = _kek(password, _unb64(w.salt), (w.time_cost, w.memory_kib, w.parallelism))
        secret = AESGCM(kek).decrypt(_unb64(w.nonce), _unb64(w.sealed), _aad(w.user_id))
    except (InvalidTag, ValueError):
        return None
    return secret if len(secret) == SECRET_BYTES else None


def dummy_unwrap(password: str) -> None:
    """Spend the time of a real unwrap, so an unknown user name answers as slowly as a known one."""
    _kek(password, b"\0" * 16, (TIME_COST, MEMORY_KIB, PARALLELISM))
