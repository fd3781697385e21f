"""Whether a PDF is PDF/A-3a and PDF/UA-1, as page-validation judges it.

The archive records the verdict with each document (manifest key `validation`):

    {"validator": "page-validation 0.11.0",
     "profiles": {"3a": [failed rule ids], "ua1": [failed rule ids]}}

A profile passes when its list is empty. A file the validator cannot read at all fails
with the name of its error (e.g. ["ParseError"]) in place of rule ids, and one it
crashes on with ["page-validation crashed"].
"""

from __future__ import annotations

import io
import json
import os

PROFILES = ("3a", "ua1")
NAMES = {"3a": "PDF/A-3a", "ua1": "PDF/UA-1"}

# The one exemption. With two or more signatures, page-validation 0.11.0 fails every
# signature but the last on ISO 19005-3 6.4.3 ("the digest ... computed over the entire
# file, including the signature dictionary but excluding the PDF Signature itself"): it
# takes "the entire file" to be the file as it is now. An earlier signature cannot
# cover the incremental updates that came after it, and ISO 32000-1:2008 12.8.1 says
# the ByteRange covers the file as it was signed ("If a signed document is modified and
# saved by incremental update, the data corresponding to the byte range of the original
# signature is preserved"); veraPDF reported the same for files signed twice and fixed
# it as a false positive (veraPDF-library issue #1493). So the rule is dropped only when
# that is shown of the file at hand (pyHanko's reader, a second reader): every earlier
# signature's ByteRange is [0, a, b, c] with the gap from a to b exactly its /Contents
# and b + c exactly the end of its own revision (its %%EOF, whose startxref is that
# revision's, every xref section up to it inside), and the last signature covers the
# whole file. Anything else (a ByteRange that does not end at a revision, bytes after
# the last signature) keeps the failure.
BYTERANGE_RULE = "PDFA3A-SIGNATURE-BYTERANGE-001"


def validator() -> str:
    import page

    return f"page-validation {page.__version__}"


def verdict(data: bytes) -> dict:
    """The manifest's `validation` record of `data`."""
    found = _validated(data)
    profiles = {}
    for profile in PROFILES:
        failed = found[profile]
        if BYTERANGE_RULE in failed and earlier_signatures_cover_their_revisions(data):
            failed = [rule for rule in failed if rule != BYTERANGE_RULE]
        profiles[profile] = failed
    return {"validator": validator(), "profiles": profiles}


def failed_rules(data: bytes, profile: str) -> list[str]:
    """The ids of the rules `data` fails under `profile`, with the one exemption."""
    return verdict(data)["profiles"][profile]


def _validated(data: bytes) -> dict[str, list[str]]:
    """page-validation's failed rule ids per profile, found in a forked child where the
    system forks.

    page-validation starts a thread pool (rayon) the first time it validates, and a
    process forked after that hangs as soon as it validates (measured; the same holds
    for Typst's compiler): so the process that archives never starts it, and a crash of
    the validator on a hostile file is a failed verdict, not a lost command.
    """
    if not hasattr(os, "fork"):
        return _validate(data)
    import page  # noqa: F401  importing starts no threads; validating does, in the child

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                out.write(json.dumps(_validate(data)).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as result:
        payload = result.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        return {profile: ["page-validation crashed"] for profile in PROFILES}
    return json.loads(payload)


def _validate(data: bytes) -> dict[str, list[str]]:
    import page

    found = {}
    for profile in PROFILES:
        try:
            report = page.validate_pdf_bytes(data, profile=profile)
        except page.PageError as exc:  # unreadable to the validator: it does not pass
            found[profile] = [type(exc).__name__]
            continue
        found[profile] = sorted({failure.rule_id for failure in report.failures})
    return found


def earlier_signatures_cover_their_revisions(data: bytes) -> bool:
    """Two or more signatures, each earlier one covering exactly its own revision and
    the last one the whole file (see BYTERANGE_RULE)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel as Coverage

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        coverage = [signature.evaluate_signature_coverage() for signature in signatures]
    except Exception:  # pyHanko's reader raises many kinds for what it cannot parse
        return False
    return (len(coverage) >= 2 and coverage[-1] == Coverage.ENTIRE_FILE
            and all(level == Coverage.ENTIRE_REVISION for level in coverage[:-1]))


def passes(record: dict | None) -> bool | None:
    """Whether a recorded verdict passes every profile; None if there is none."""
    if not record:
        return None
    return not any(record.get("profiles", {}).values())


def summary(record: dict | None) -> str:
    """'PDF/A-3a and PDF/UA-1', 'fails PDF/A-3a' or 'not validated' (a record archived
    before documents were validated)."""
    if not record:
        return "not validated"
    profiles = record.get("profiles", {})
    failing = [NAMES.get(p, p) for p, rules in profiles.items() if rules]
    if failing:
        return "fails " + " and ".join(failing)
    return " and ".join(NAMES.get(p, p) for p in profiles)


def describe(record: dict | None) -> list[str]:
    """The verdict in full, a line per failing profile with its failed rules."""
    if not record:
        return ["not validated (archived before documents were validated)"]
    by = f"({record.get('validator', 'validator unknown')})"
    failing = [(p, rules) for p, rules in record.get("profiles", {}).items() if rules]
    if not failing:
        return [f"{summary(record)}: pass {by}"]
    return [f"{NAMES.get(p, p)}: fails {', '.join(rules)} {by}" for p, rules in failing]
