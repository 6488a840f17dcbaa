"""Independent certificate checker for Spurious (see proofs/FORMAT.md for the grammar).

Imports nothing from verify/ or numeric/, and only the standard library plus python-flint.

    >>> from proofs import Outcome, check_file
    >>> check_file("proofs/library/kawaguchi-depth2-origin-strict-saddle.json").outcome is Outcome.VERIFIED
    True
"""

from .certificate import DEFAULT_TIMEOUT, FORMAT, VERSION, CheckResult, Outcome, check_certificate, check_file
from .reader import CheckTimeout, MalformedCertificate, printable, problem_hash

__all__ = ["DEFAULT_TIMEOUT", "FORMAT", "VERSION", "CheckResult", "CheckTimeout", "MalformedCertificate", "Outcome",
           "check_certificate", "check_file", "printable", "problem_hash"]
