"""1C's DataVersion as plain data: what changed between two listings, and the digest of the
mapping the versions were read under (store/versions.py keeps them; incremental_reads.py uses
them to read only what 1C changed)."""
import hashlib
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    changed: frozenset  # Ref_Keys new or with another version
    gone: frozenset     # Ref_Keys seen last time and no longer listed


def changes(seen, current):
    """What differs between the versions seen last time and those listed now ({ref: version})."""
    return Changes(frozenset(ref for ref, version in current.items() if seen.get(ref) != version),
                   frozenset(ref for ref in seen if ref not in current))


def mapping_digest(profile):
    """What the names a run reads with hash to; the sale's names (written, not read) stay out."""
    read = {key: name for key, name in profile.mapping.items() if not key.startswith("sale.")}
    return hashlib.sha256(json.dumps(read, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()[:16]
