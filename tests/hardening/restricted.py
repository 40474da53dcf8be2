"""Articles with audiences (ACL) for the cross-group leak tests: each restricted one carries a canary and a
distinctive fact; if any of them reaches a caller outside the audience, the permission filter leaked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Restricted:
    doc_id: str
    audience: tuple[str, ...]
    question: str  # aimed squarely at the restricted fact
    secrets: tuple[str, ...]  # canary and distinctive phrases that only the audience may ever see

    def leaked_in(self, text: str) -> list[str]:
        return [s for s in (*self.secrets, self.doc_id) if s in text]


ARTICLES: dict[str, str] = {
    "hr/salary-review-2026.md": """---
title: Salary review 2026
audience: [hr, managers]
---
# Salary review 2026

The 2026 salary review budget is 3.5 percent of payroll, paid from April. Managers submit their proposals by
14 March. Reference LEAKCANARY-HR-5811.
""",
    "it/break-glass.md": """---
title: Break-glass administrator accounts
audience: [it-admins]
---
# Break-glass administrator accounts

The break-glass administrator password is sealed in the safe in room 4.12 and rotated after every use.
Reference LEAKCANARY-IT-2297.
""",
    "finance/payment-run.html": """<!doctype html><html><head><title>Supplier payment run</title>
<meta name="audience" content="finance"></head><body><main><h1>Supplier payment run</h1>
<p>Supplier payment runs happen every Tuesday at noon. The approval code for the run is LEAKCANARY-FIN-7364.</p>
</main></body></html>
""",
    "legal/settlement.md": """---
title: Northwind settlement
audience: [legal]
---
# Northwind settlement

The settlement with Northwind Logistics was 240,000 euros, paid in two instalments. Reference
LEAKCANARY-LEGAL-9043.
""",
    "hr/pay-day.md": """# Pay day

Salaries are paid on the 25th of each month. The annual salary review happens every spring.
""",
    "it/passwords.md": """---
title: Passwords
audience: [everyone]
---
# Passwords

Staff passwords must be at least 14 characters long and are changed through the self-service portal.
""",
    "finance/invoices.md": """# Supplier invoices

Supplier invoices are sent to the accounts payable mailbox and are paid within 30 days.
""",
}

RESTRICTED: tuple[Restricted, ...] = (
    Restricted("hr/salary-review-2026", ("hr", "managers"), "What is the salary review budget for 2026?",
               ("LEAKCANARY-HR-5811", "3.5 percent", "14 March")),
    Restricted("it/break-glass", ("it-admins",), "Where is the break-glass administrator password kept?",
               ("LEAKCANARY-IT-2297", "room 4.12", "sealed in the safe")),
    Restricted("finance/payment-run", ("finance",),
               "When do supplier payment runs happen and what is the approval code?",
               ("LEAKCANARY-FIN-7364", "every Tuesday at noon")),
    Restricted("legal/settlement", ("legal",), "How much was the Northwind settlement?",
               ("LEAKCANARY-LEGAL-9043", "240,000", "Northwind Logistics")),
)


def write_restricted_corpus(folder: Path) -> Path:
    for name, text in ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def leaks(text: str, readable_groups: frozenset[str]) -> list[str]:
    """Everything restricted to groups outside `readable_groups` that appears in `text`."""
    return [s for r in RESTRICTED if not set(r.audience) & readable_groups for s in r.leaked_in(text)]
