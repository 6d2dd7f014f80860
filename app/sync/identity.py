"""Device identity: Ed25519 keys, the county's certificates, one-time enrolment codes and the
signature a clinic puts on each session. Shared by the county server and the clinic; no storage.

A certificate is the county's signature over a canonical JSON body naming the instance, its
public key, its scope (a village or township code) and the station the county assigned. A clinic
opens each sync session by signing the server's one-time nonce with its private key, so a session
can only be opened by the installation the county enrolled, and never replayed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"    # Crockford's base32: no I, L, O, U
CODE_LENGTH = 12                                      # 60 bits, written as XXXX-XXXX-XXXX


class IdentityError(ValueError):
    """A certificate or signature that does not check out."""


@dataclass(frozen=True)
class KeyPair:
    private: bytes       # 32 raw bytes
    public: bytes        # 32 raw bytes


def new_key_pair() -> KeyPair:
    key = Ed25519PrivateKey.generate()
    return KeyPair(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
                   key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def sign(private: bytes, data: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).sign(data)


def verify(public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Certificate:
    """What the county vouches for: this instance, with this key, may sync this scope."""

    instance: str
    public_key: bytes
    scope: str
    station: int

    def body(self) -> bytes:
        return json.dumps({"instance": self.instance, "public_key": self.public_key.hex(),
                           "scope": self.scope, "station": self.station, "v": 1},
                          sort_keys=True, separators=(",", ":")).encode()


def issue_certificate(county_private: bytes, cert: Certificate) -> bytes:
    """The certificate as stored and sent: its body and the county's signature."""
    return json.dumps({"body": cert.body().decode(), "signature": sign(county_private, cert.body()).hex()},
                      separators=(",", ":")).encode()


def read_certificate(blob: bytes, county_public: bytes) -> Certificate:
    """A certificate the county signed; IdentityError if it was not, or is malformed."""
    try:
        outer = json.loads(blob)
        body = outer["body"].encode()
        if not verify(county_public, bytes.fromhex(outer["signature"]), body):
            raise IdentityError("证书不是本县签发的")
        inner = json.loads(body)
        return Certificate(str(inner["instance"]), bytes.fromhex(inner["public_key"]),
                           str(inner["scope"]), int(inner["station"]))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        if isinstance(exc, IdentityError):
            raise
        raise IdentityError("证书格式不对") from None


def hello_payload(instance: str, session: str, nonce: str) -> bytes:
    """What a clinic signs to open a session: its instance and the server's one-time nonce."""
    return f"cunyi-hello\n{instance}\n{session}\n{nonce}".encode()


def new_code() -> str:
    """A one-time enrolment code, XXXX-XXXX-XXXX, to read out on the phone or type."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normal_code(typed: str) -> str:
    """A typed code as issued: case, spaces and dashes forgiven, O/I/L read as 0/1/1."""
    text = "".join(c for c in typed.upper() if c.isalnum()).translate(str.maketrans("OIL", "011"))
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        raise IdentityError("注册码应为12位字母和数字（形如 K7QM-2XPA-9RTD）")
    return "-".join(text[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def code_hash(code: str) -> bytes:
    """How the county keeps a code: never the code itself."""
    return hashlib.sha256(normal_code(code).encode()).digest()
