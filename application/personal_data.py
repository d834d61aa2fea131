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
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Transcoding

from domain.health_data import HealthData
from domain.personal_data import PersonalData


class KeyStore(Protocol):
    def create(self, subject_id: UUID) -> bytes: ...
    def create_many(self, subject_ids: Sequence[UUID]) -> None: ...
    def reserve(self, subject_ids: Sequence[UUID]) -> dict[UUID, bytes]: ...
    def confirm(self, keys: Mapping[UUID, bytes]) -> None: ...
    def release(self, keys: Mapping[UUID, bytes]) -> None: ...
    def for_sealing(self, subject_id: UUID) -> bytes: ...
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

    def create_many(self, subject_ids: Sequence[UUID]) -> None:
        for subject_id in subject_ids:
            self.create(subject_id)

    def reserve(self, subject_ids: Sequence[UUID]) -> dict[UUID, bytes]:
        self.create_many(subject_ids)  # nothing to write: memory is all the store there is
        return {}

    def confirm(self, keys: Mapping[UUID, bytes]) -> None:
        pass

    def release(self, keys: Mapping[UUID, bytes]) -> None:
        pass

    def for_sealing(self, subject_id: UUID) -> bytes:
        return self.create(subject_id)

    def get(self, subject_id: UUID) -> bytes | None:
        return self._keys.get(subject_id)

    def destroy(self, subject_id: UUID) -> None:
        with self._lock:
            self._keys[subject_id] = None


def seal_fields(subject_id: UUID, fields: dict[str, Any], key: bytes) -> str:
    """AES-GCM over the fields' JSON, the subject id as associated data (base64)."""
    plain = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plain, subject_id.bytes)
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal_fields(subject_id: UUID, sealed: str, key: bytes) -> dict[str, Any]:
    raw = base64.b64decode(sealed)
    fields: dict[str, Any] = json.loads(AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.bytes))
    return fields


def seal(data: PersonalData, key: bytes) -> str:
    birth = data.birth_date.isoformat() if data.birth_date else None
    fields = {"name": data.name, "national_id": data.national_id, "birth_date": birth}
    return seal_fields(data.subject_id, fields, key)


def unseal(subject_id: UUID, sealed: str, key: bytes | None) -> PersonalData:
    if key is None:
        return PersonalData.shredded(subject_id)
    fields = unseal_fields(subject_id, sealed, key)
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
        key = self._keys.for_sealing(obj.subject_id)
        return {"subject": obj.subject_id.hex, "sealed": seal(obj, key)}

    def decode(self, data: dict[str, Any]) -> PersonalData:
        subject = UUID(data["subject"])
        if not data["sealed"]:
            return PersonalData.shredded(subject)
        return unseal(subject, data["sealed"], self._keys.get(subject))


class HealthDataAsSealed(Transcoding):
    """Stores a claim's `HealthData` encrypted under the settlement's own key, so that
    disposing of one settlement destroys exactly its diagnosis code and item names."""

    type = HealthData
    name = "health_data"

    def __init__(self, keys: KeyStore) -> None:
        self._keys = keys

    def encode(self, obj: HealthData) -> dict[str, str]:
        if obj.is_shredded:
            return {"subject": obj.subject_id.hex, "sealed": ""}
        key = self._keys.for_sealing(obj.subject_id)
        fields = {"diagnosis_code": obj.diagnosis_code, "item_names": obj.item_names}
        return {"subject": obj.subject_id.hex, "sealed": seal_fields(obj.subject_id, fields, key)}

    def decode(self, data: dict[str, Any]) -> HealthData:
        subject = UUID(data["subject"])
        key = self._keys.get(subject) if data["sealed"] else None
        if key is None:
            return HealthData.shredded(subject)
        fields = unseal_fields(subject, data["sealed"], key)
        return HealthData(subject, fields["diagnosis_code"], tuple(fields["item_names"]))
