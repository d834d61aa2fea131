"""Per-person keys and the encryption of personal data (crypto-shredding).

Each enrolled person gets a random 256-bit key, kept in a key table outside the event store.
Events hold `PersonalData` sealed with that key (AES-GCM, the person id as associated data);
destroying the key makes every copy of it — events, snapshots, backups — unreadable, while
amounts and the audit chain stay intact.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Transcoding

from domain.personal_data import PersonalData


class KeyStore(Protocol):
    def create(self, subject_id: UUID) -> bytes: ...
    def get(self, subject_id: UUID) -> bytes | None: ...
    def destroy(self, subject_id: UUID) -> None: ...


class InMemoryKeyStore:
    """A key store for tests and previews; keys vanish with the process."""

    def __init__(self) -> None:
        self._keys: dict[UUID, bytes | None] = {}
        self._lock = threading.Lock()

    def create(self, subject_id: UUID) -> bytes:
        with self._lock:
            key = self._keys.get(subject_id)
            if key is None:
                key = self._keys[subject_id] = AESGCM.generate_key(bit_length=256)
            return key

    def get(self, subject_id: UUID) -> bytes | None:
        return self._keys.get(subject_id)

    def destroy(self, subject_id: UUID) -> None:
        with self._lock:
            self._keys[subject_id] = None


def seal(data: PersonalData, key: bytes) -> str:
    plain = json.dumps(
        {
            "name": data.name,
            "national_id": data.national_id,
            "birth_date": data.birth_date.isoformat() if data.birth_date else None,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain, data.subject_id.bytes)
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(subject_id: UUID, sealed: str, key: bytes | None) -> PersonalData:
    if key is None:
        return PersonalData.shredded(subject_id)
    raw = base64.b64decode(sealed)
    fields = json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.bytes))
    birth = fields["birth_date"]
    return PersonalData(
        subject_id,
        fields["name"],
        fields["national_id"],
        date.fromisoformat(birth) if birth else None,
    )


class PersonalDataAsSealed(Transcoding):
    """Stores `PersonalData` encrypted under the person's key; a shredded key reads as None."""

    type = PersonalData
    name = "personal_data"

    def __init__(self, keys: KeyStore) -> None:
        self._keys = keys

    def encode(self, obj: PersonalData) -> dict[str, str]:
        if obj.is_shredded:
            return {"subject": obj.subject_id.hex, "sealed": ""}
        key = self._keys.get(obj.subject_id) or self._keys.create(obj.subject_id)
        return {"subject": obj.subject_id.hex, "sealed": seal(obj, key)}

    def decode(self, data: dict[str, Any]) -> PersonalData:
        subject = UUID(data["subject"])
        if not data["sealed"]:
            return PersonalData.shredded(subject)
        return unseal(subject, data["sealed"], self._keys.get(subject))
