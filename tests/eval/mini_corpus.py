"""A tiny corpus and question set written for the eval tests: 16 short articles on distinct topics."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES = {
    "kitchen/coffee-machine": ("Coffee machine care", "everyone",
        "The third-floor coffee machine is descaled every Tuesday by the facilities team. "
        "If it shows error E42, switch it off for ten minutes before calling facilities."),
    "it/printing": ("Printing from your laptop", "everyone",
        "All printers use the FollowMe queue. Badge in at any printer to release your job within 48 hours, "
        "after which the job is deleted."),
    "hr/parental-leave": ("Parental leave", "everyone",
        "Parents receive 20 weeks of fully paid parental leave. Send the request to the People team at least "
        "8 weeks before the leave starts."),
    "travel/rail": ("Rail travel", "everyone",
        "Rail journeys longer than three hours may be booked in first class. All tickets are booked through "
        "the travel desk, never on a personal card."),
    "security/usb": ("USB storage", "everyone",
        "USB storage devices are blocked on every company laptop. An exception needs a ticket approved by the "
        "security team, valid for 30 days."),
    "finance/invoices": ("Paying supplier invoices", "everyone",
        "Supplier invoices are paid within 30 days of receipt. Every invoice must quote a purchase order number "
        "that starts with PO-."),
    "facilities/bicycles": ("Bicycle storage", "everyone",
        "The basement bicycle store has 40 racks and two charging points for electric bikes. The door opens "
        "with your staff badge between 06:00 and 22:00."),
    "it/vpn": ("Working from home: the VPN", "everyone",
        "The VPN client is called Tunnelwise. Connect it before you open any finance system from home."),
    "hr/wellbeing-days": ("Wellbeing days", "everyone",
        "Every employee can take two wellbeing days per year. Book them like holiday in the HR portal; "
        "no reason has to be given."),
    "engineering/code-review": ("Code review rules", "everyone",
        "Every pull request needs two approvals before it is merged. Authors never approve their own change, "
        "and the build must be green."),
    "onboarding/first-day": ("Your first day", "everyone",
        "New starters collect their laptop from the IT bar at 09:30 on their first morning. Bring photo ID "
        "for the badge photo."),
    "facilities/lost-property": ("Lost property", "everyone",
        "Lost property is kept at reception for 60 days. After that it is donated to a local charity shop."),
    "security/incident-bridge": ("Incident bridge", "security",
        "During a major incident the bridge call uses the code word BLUE HERON. Share it only with responders."),
    "travel/hotels": ("Hotel limits", "everyone",
        "Hotel stays in London are capped at £180 per night including breakfast. Elsewhere the cap is £120."),
    "finance/corporate-cards": ("Corporate cards", "everyone",
        "Corporate cards have a monthly limit of £2,000. Upload every receipt to the expense tool within 7 days."),
    "it/guest-wifi": ("Guest wifi", "everyone",
        "Visitors use the Fernhill-Guest network. Its password changes every Monday and is shown at reception."),
}

QUESTIONS = [
    {"id": "m-01", "question": "How often is the coffee machine descaled?", "expected_sources":
        ["kitchen/coffee-machine"], "key_facts": ["every Tuesday"], "type": "single"},
    {"id": "m-02", "question": "How many weeks of paid parental leave do parents get?", "expected_sources":
        ["hr/parental-leave"], "key_facts": ["20 weeks"], "type": "numeric"},
    {"id": "m-03", "question": "Within how many days are supplier invoices paid?", "expected_sources":
        ["finance/invoices"], "key_facts": ["30 days"], "type": "numeric"},
    {"id": "m-04", "question": "What is the VPN client called?", "expected_sources": ["it/vpn"],
        "key_facts": ["Tunnelwise"], "type": "single"},
    {"id": "m-05", "question": "How many approvals does a pull request need before merging?",
        "expected_sources": ["engineering/code-review"], "key_facts": ["two approvals"], "type": "single"},
    {"id": "m-06", "question": "What is the hotel cap per night in London?", "expected_sources":
        ["travel/hotels"], "key_facts": ["£180"], "type": "numeric"},
    {"id": "m-07", "question": "What code word does the incident bridge call use?", "expected_sources":
        ["security/incident-bridge"], "key_facts": ["BLUE HERON"], "type": "restricted", "groups": ["security"]},
    {"id": "m-08", "question": "How many bicycle racks are in the basement store?", "expected_sources":
        ["facilities/bicycles"], "key_facts": ["40 racks"], "type": "numeric"},
    {"id": "m-09", "question": "Which dental insurance provider does the company use?", "answerable": False,
        "type": "unanswerable"},
    {"id": "m-10", "question": "How many parking spaces are there for motorbikes at the Porto office?",
        "answerable": False, "type": "unanswerable"},
]


def write_corpus(root: Path) -> Path:
    for doc_id, (title, audience, body) in ARTICLES.items():
        path = root / f"{doc_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: {json.dumps(title)}\nupdated: 2026-01-15\naudience: [{audience}]\n---\n"
        path.write_text(f"{front}\n# {title}\n\n{body}\n", encoding="utf-8")
    return root


def write_questions(path: Path, questions=QUESTIONS) -> Path:
    path.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    return path
