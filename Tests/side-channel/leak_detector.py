"""The development corpus and a detector for its labelled values, for the side-channel test.

The corpus is the committed copy in Tests/Fixtures/dev-corpus (see its README). Every labelled value
becomes one or more *probes*: the strings whose presence in an output means the value leaked. A
failure names a probe by its PII type, record id, form and a hash, never by its text.
"""

import gzip
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

FIXTURES = Path(__file__).resolve().parent.parent / "Fixtures" / "dev-corpus"

# sha256 of the uncompressed files, from the corpus's manifest.json (seed 1234, Faker 40.54.0).
SHA256 = {
    "text.jsonl": "c375ad7345a6d9b394f67d74093a62fb27b501397a14e9da69ec26fd49ea379d",
    "records.ndjson": "d54d4edc7c528b9d99acc7fcc8ded12460f34860ee51d7a869343b169f8c0abd",
    "records.labels.jsonl": "d62f03f94552f6df243f55a455a1f62a5c9f38001458244eaa9ad7e197b00d67",
}

# The line the corpus scorer puts between texts when it runs a text tool once over all of them.
SEPARATOR = "=====PIIEVAL RECORD BOUNDARY====="

# Probes shorter than this are ignored: a 1-3 character string (a short password, an IPv6 "::1")
# also occurs by chance in counts, offsets and pattern descriptions, so it would only give false
# alarms. The development corpus has no labelled value this short today; the rule is here so that a
# regenerated corpus cannot make the test flaky.
MIN_PROBE_CHARS = 4

# A number under a sensitive key (`"exp_year": 2030`, `"user_id": 25020425`) is a probe only from
# this many digits: reports are full of line, column and byte numbers (up to 7 digits for this
# 2.6 MB corpus), and a 4-digit year in a report is not that year leaking.
MIN_NUMBER_DIGITS = 8

# Digit-bearing types leak also as their digits alone ("4111111111111111" for "4111 1111 1111 1111"),
# checked in the output with these separators removed, for values with at least this many digits.
DIGIT_TYPES = {"CREDIT_CARD", "PHONE", "US_SSN", "IBAN"}
DIGIT_SEPARATORS = re.compile(r"[\s\-.()/]")
MIN_DIGITS = 9


class Probe(NamedTuple):
    text: str
    pii_type: str
    record: str
    form: str  # value, raw, json-escaped, secret, digits, …: which spelling of the value

    def describe(self) -> str:
        digest = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        return f"{self.pii_type} of {self.record} (as {self.form}, sha256 {digest}…)"


def read_fixture(name: str) -> bytes:
    data = gzip.decompress((FIXTURES / f"{name}.gz").read_bytes())
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256[name]:
        raise AssertionError(f"{name}.gz does not hold the development corpus (sha256 {digest})")
    return data


def probes_for(label: dict, record: str) -> list[Probe]:
    """Every spelling of one labelled value that must not appear in an output."""
    pii_type, value = label["type"], label["value"]
    forms: list[tuple[str, str]] = []
    if isinstance(value, str):
        forms.append(("value", value))
    elif isinstance(value, (dict, list)):  # a container under a sensitive key: each scalar leaf
        forms += [("leaf", leaf) for leaf in leaves(value)]
    elif not isinstance(value, bool) and value is not None:
        forms.append(("value", json.dumps(value)))
    if "raw" in label:
        forms.append(("raw", label["raw"]))
    if "secret" in label:  # URL_CREDENTIALS: the password alone
        forms.append(("secret", label["secret"]))
    if isinstance(value, str):
        for ascii_only in (True, False):
            forms.append(("json-escaped", json.dumps(value, ensure_ascii=ascii_only)[1:-1]))
        if pii_type == "JWT" and value.count(".") == 2:
            forms += [("jwt-segment", s) for s in value.split(".")[1:]]
        if pii_type == "PRIVATE_KEY":
            forms += [("pem-line", l.strip()) for l in value.splitlines() if l.strip() and not l.startswith("-----")]
        if pii_type == "IBAN":
            forms.append(("compact", value.replace(" ", "")))
        if pii_type in ("MAC", "IPV6"):
            forms += [("lower-case", value.lower()), ("upper-case", value.upper())]
        if pii_type in DIGIT_TYPES:
            d = "".join(c for c in value if c.isdigit())
            if len(d) >= MIN_DIGITS:
                forms.append(("digits", d))
    seen, probes = set(), []
    for form, text in forms:
        if re.fullmatch(r"-?[0-9.eE+]+", text) and form in ("value", "leaf") and sum(c.isdigit() for c in text) < MIN_NUMBER_DIGITS:
            continue
        if len(text) >= MIN_PROBE_CHARS and text not in seen:
            seen.add(text)
            probes.append(Probe(text, pii_type, record, form))
    return probes


def leaves(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in leaves(v)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or value is None:
        return []
    return [json.dumps(value)]


class Corpus:
    """The 2000 texts and 600 JSON records, each with the probes of its labelled values."""

    def __init__(self):
        self.texts: list[str] = []
        self.text_ids: list[str] = []
        self.text_probes: list[list[Probe]] = []
        for line in read_fixture("text.jsonl").decode().splitlines():
            item = json.loads(line)
            self.texts.append(item["text"])
            self.text_ids.append(item["id"])
            self.text_probes.append([p for span in item["spans"] for p in probes_for(span, item["id"])])
        self.records: list[bytes] = read_fixture("records.ndjson").splitlines()
        self.record_ids: list[str] = []
        self.record_probes: list[list[Probe]] = []
        for line in read_fixture("records.labels.jsonl").decode().splitlines():
            item = json.loads(line)
            self.record_ids.append(item["id"])
            self.record_probes.append([p for label in item["pii"] for p in probes_for(label, item["id"])])
        assert len(self.texts) == 2000 and len(self.records) == len(self.record_ids) == 600
        self.all = Detector([p for ps in self.text_probes + self.record_probes for p in ps])

    def joined_text(self) -> bytes:
        """All texts as the corpus scorer feeds them to a text tool: one stream, separator lines."""
        return (("\n" + SEPARATOR + "\n").join(self.texts) + "\n").encode()

    def ndjson(self) -> bytes:
        return b"\n".join(self.records) + b"\n"


class Detector:
    """Finds probes in an output. Indexed by the first characters of each probe, so one large
    output is searched for all ~9000 probes in a fraction of a second."""

    def __init__(self, probes: list[Probe]):
        self.by_prefix: dict[str, list[Probe]] = defaultdict(list)
        self.digit_probes: list[Probe] = []
        for p in probes:
            if p.form == "digits":
                self.digit_probes.append(p)
            else:
                self.by_prefix[p.text[:MIN_PROBE_CHARS]].append(p)

    def find(self, blob: str) -> list[Probe]:
        windows = {blob[i:i + MIN_PROBE_CHARS] for i in range(len(blob) - MIN_PROBE_CHARS + 1)}
        hits = [p for key in windows & self.by_prefix.keys() for p in self.by_prefix[key] if p.text in blob]
        if self.digit_probes:
            runs = " ".join(re.findall(r"\d{%d,}" % MIN_DIGITS, DIGIT_SEPARATORS.sub("", blob)))
            hits += [p for p in self.digit_probes if p.text in runs]
        return hits


def find_in(blob: str, probes: list[Probe]) -> list[Probe]:
    """The probes of one record found in that record's output (few probes: no index needed)."""
    runs = None
    hits = []
    for p in probes:
        if p.form == "digits":
            if runs is None:
                runs = " ".join(re.findall(r"\d{%d,}" % MIN_DIGITS, DIGIT_SEPARATORS.sub("", blob)))
            if p.text in runs:
                hits.append(p)
        elif p.text in blob:
            hits.append(p)
    return hits


class Leaks:
    """Collects leaks over many channels so one run names every leaking channel, then fails once."""

    def __init__(self):
        self.found: list[str] = []
        self.channels = 0

    def add(self, channel: str, hits: list[Probe]) -> None:
        self.channels += 1
        self.found += [f"{channel}: {p.describe()}" for p in hits]

    def check(self, channel: str, blob: str, detector: "Detector") -> None:
        self.add(channel, detector.find(blob))

    def check_record(self, channel: str, blob: str, probes: list[Probe]) -> None:
        self.add(channel, find_in(blob, probes))

    def message(self) -> str:
        shown = "\n  ".join(self.found[:40])
        more = f"\n  … and {len(self.found) - 40} more" if len(self.found) > 40 else ""
        return f"{len(self.found)} labelled value(s) leaked (values not shown):\n  {shown}{more}"
