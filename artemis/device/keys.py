"""The RSA key that authorises artemis to a device.

`~/.android/adbkey` (the real adb's key, which devices have usually accepted already) is
used when present; else `device.adb_key` from the settings; else `<data dir>/adbkey`, created
on first use with its Android-format `.pub` beside it.
"""

from __future__ import annotations

import asyncio
import base64
import os
import threading
from pathlib import Path

from adb_shell.auth.keygen import encode_pubkey, get_user_info, keygen
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from artemis.config import Settings
from artemis.errors import DeviceConnectionError


class AdbSigner:
    """What adb-shell asks of a key: sign a token, give the public key."""

    def __init__(self, private_key: rsa.RSAPrivateKey, public_key: bytes, path: Path) -> None:
        self._key = private_key
        self._public = public_key
        self.path = path

    def Sign(self, data: bytes) -> bytes:  # adb-shell's method name
        return self._key.sign(data, padding.PKCS1v15(), utils.Prehashed(hashes.SHA1()))

    def GetPublicKey(self) -> bytes:  # adb-shell's method name
        return self._public


def key_path(settings: Settings) -> Path:
    """Which private key file artemis uses (it may not exist yet)."""
    if settings.device.adb_key is not None:
        return settings.device.adb_key.expanduser()
    android = Path.home() / ".android" / "adbkey"
    if android.is_file():
        return android
    return settings.data_dir / "adbkey"


#: Creating the key happens once per process even when many connections start at once
#: (`artemis devices` probes every port together); the files appear whole, by rename, so
#: another process never reads half a key either.
_CREATE = threading.Lock()


def _create_key(path: Path) -> None:
    with _CREATE:
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        keygen(str(tmp))
        os.chmod(tmp, 0o600)
        os.replace(str(tmp) + ".pub", str(path) + ".pub")
        os.replace(tmp, path)


def load_signer_sync(path: Path, *, create: bool) -> AdbSigner:
    if not path.is_file():
        if not create:
            raise DeviceConnectionError(f"ADB key {path} does not exist")
        _create_key(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise DeviceConnectionError(f"cannot read the ADB key {path}: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise DeviceConnectionError(f"the ADB key {path} is not an RSA key")
    pub_file = Path(str(path) + ".pub")
    if pub_file.is_file():
        public = pub_file.read_bytes().strip()
    else:  # derive it; never write beside someone else's key
        public = base64.b64encode(encode_pubkey(str(path))) + get_user_info().encode()
    return AdbSigner(key, public, path)


async def load_signer(settings: Settings) -> AdbSigner:
    """The signer for `settings`, creating artemis's own key on first use."""
    path = key_path(settings)
    create = settings.device.adb_key is None and path == settings.data_dir / "adbkey"
    return await asyncio.to_thread(load_signer_sync, path, create=create)
