"""ADB public-key authentication, device side.

A client's public key travels (and is kept in `adb_keys` / `adbkey.pub`) in Android's own
format: base64 of a little-endian struct (modulus size in words, n0inv, modulus, R^2, exponent)
followed by an optional ` user@host` comment. The client proves it holds the private key by
signing a 20-byte token with PKCS#1 v1.5 over a SHA-1 *digest* (the token is used as the digest
itself, not hashed again).
"""

from __future__ import annotations

import base64
import binascii
import struct
from collections.abc import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

TOKEN_SIZE = 20
_MODULUS_BYTES = 2048 // 8
_PUBKEY = struct.Struct(f"<II{_MODULUS_BYTES}s{_MODULUS_BYTES}sI")


class KeyFormatError(ValueError):
    """A public key is not in Android's ADB format."""


def parse_android_pubkey(text: str | bytes) -> rsa.RSAPublicKey:
    """Decode an Android-format ADB public key (the first word of an `adbkey.pub` line)."""
    raw = text.decode("ascii", "replace") if isinstance(text, bytes) else text
    word = raw.strip().strip("\0").split()[0] if raw.strip().strip("\0") else ""
    try:
        blob = base64.b64decode(word, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFormatError(f"not base64: {exc}") from exc
    if len(blob) != _PUBKEY.size:
        raise KeyFormatError(f"expected {_PUBKEY.size} bytes, got {len(blob)}")
    words, _n0inv, modulus, _rr, exponent = _PUBKEY.unpack(blob)
    if words != _MODULUS_BYTES // 4:
        raise KeyFormatError(f"unsupported modulus size: {words} words")
    n = int.from_bytes(modulus, "little")
    try:
        return rsa.RSAPublicNumbers(exponent, n).public_key()
    except ValueError as exc:
        raise KeyFormatError(str(exc)) from exc


def key_fingerprint(key: rsa.RSAPublicKey) -> tuple[int, int]:
    numbers = key.public_numbers()
    return (numbers.n, numbers.e)


class KeyRing:
    """The public keys a device accepts (its `adb_keys`)."""

    def __init__(self, keys: Iterable[str | bytes]) -> None:
        self._keys = [parse_android_pubkey(k) for k in keys]
        self._prints = {key_fingerprint(k) for k in self._keys}

    def __len__(self) -> int:
        return len(self._keys)

    def verify(self, token: bytes, signature: bytes) -> bool:
        """True when `signature` signs `token` with the private half of a known key."""
        for key in self._keys:
            try:
                key.verify(signature, token, padding.PKCS1v15(), utils.Prehashed(hashes.SHA1()))
            except (InvalidSignature, ValueError):
                continue
            return True
        return False

    def knows(self, public_key: str | bytes) -> bool:
        """True when a key the client offered (AUTH RSAPUBLICKEY) is one of ours."""
        try:
            key = parse_android_pubkey(public_key)
        except KeyFormatError:
            return False
        return key_fingerprint(key) in self._prints
