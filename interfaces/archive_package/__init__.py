"""Retention packages (移交/保管包): BagIt 1.0 bags of a window of the log, streamed.

`export.export_package` writes one; `verify.verify_package` checks one (the bag's own
manifests, then the audit chain recomputed from the events it carries). The events' line
form and the chain link live in `lines.py`, the one place both sides read; `rows.py` reads
the stored rows a page at a time, and `catalogue.py` writes the catalogue the database lays
out (`projections/queries/package_lines.py`).
"""
