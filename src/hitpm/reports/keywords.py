"""Keyword rules that find a delivery area's work by its wording (documented in docs/reports.md).

Until hitpm has training, workflow and interface areas of its own, their sections find the
work in the plan, the decision log and the agile boards by what it is called. A keyword
matches as a whole word, in any case, with a plural ``s``/``es`` allowed; hyphens, slashes
and underscores count as spaces, so ``super-user`` also finds "super user" and "Super-users".
Phrases in ``unless`` name something else and are ignored (``patient education`` is
clinical content, not staff training).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_SEPARATORS = re.compile(r"[-_/\s]+")


def normalise(text: str) -> str:
    """Lower case, with hyphens, slashes and underscores as single spaces."""
    return _SEPARATORS.sub(" ", text.lower()).strip()


@dataclass(frozen=True)
class Keywords:
    """Whole-word keywords (case-insensitive), phrases to ignore, and extra regexes."""

    label: str
    """The rule in words, for a report's note."""
    words: tuple[str, ...]
    unless: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    """Regular expressions matched against the normalised (lower-case) text."""

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        words = "|".join(re.escape(normalise(w)) for w in self.words)
        parts = [rf"(?<![a-z0-9])(?:{words})(?:s|es)?(?![a-z0-9])", *self.patterns]
        return re.compile("|".join(f"(?:{p})" for p in parts))

    def found(self, text: str) -> bool:
        """Whether ``text`` mentions a keyword outside the ignored phrases."""
        cleaned = normalise(text)
        for phrase in self.unless:
            cleaned = cleaned.replace(normalise(phrase), " ")
        return self._pattern.search(cleaned) is not None


TRAINING = Keywords(
    label="training, education, super-users or at-the-elbow support",
    words=("training", "education", "super-user", "superuser", "at-the-elbow"),
    unless=("patient education",),
)
"""Training work: under a summary (or named) for training, education, super-users or
at-the-elbow support. "Patient education" is clinical content, not staff training."""

WORKFLOW = Keywords(
    label="workflows, order sets, policies, clinical content or build and design decisions",
    words=("workflow", "order set", "policy", "policies", "clinical content", "build decision",
           "design decision"),
)  # fmt: skip
"""Workflow change: workflow design and build, order sets, policies, clinical content and
design/build decisions."""

HL7_MESSAGE_TYPE = r"(?<![a-z0-9])[a-z]{3}\^[a-z]\d{2}(?![a-z0-9])"
"""An HL7 v2 message type and trigger event as written in titles: ``ORU^R01``, ``ADT^A08``."""

INTERFACES = Keywords(
    label="interfaces, HL7, FHIR, HL7 message types (ADT, ORM, ORU …), integration or "
    "connectivity",
    words=("interface", "interoperability", "HL7", "FHIR", "ADT", "ORM", "ORU", "SIU", "MDM",
           "DFT", "RDE", "VXU", "integration", "connectivity"),
    unless=("ADT, registration", "ADT registration", "ADT and registration",
            "registration and ADT"),
    patterns=(HL7_MESSAGE_TYPE,),
)  # fmt: skip
"""Interface work: interfaces, HL7 v2 and FHIR, the common HL7 message types, integration and
connectivity. "ADT, registration ..." names the registration application, not the ADT feed."""
