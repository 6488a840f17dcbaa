"""Independent certificate checker for Spurious (see proofs/FORMAT.md for the grammar).

Imports nothing from verify/ or numeric/, and only the standard library plus python-flint.

    >>> from proofs import check_file
    >>> check_file("proofs/library/kawaguchi-depth2-origin-strict-saddle.json").verified
    True
"""

from .certificate import FORMAT, VERSION, CheckResult, check_certificate, check_file
from .reader import MalformedCertificate, problem_hash

__all__ = ["FORMAT", "VERSION", "CheckResult", "MalformedCertificate", "check_certificate", "check_file",
           "problem_hash"]
