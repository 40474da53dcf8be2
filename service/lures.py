"""Sentences that direct readers to give credentials, sign in or pay somewhere outside the intranet (phishing lures).

A planted instruction need not address the model: "Staff should re-confirm their payroll details by signing in at
payroll-check.example.net" is plain prose aimed at the reader. The screen recognises the structure of such a
lure rather than its wording: a directive (imperative, "staff should / must / are asked to", "please") whose
action is a credential or sign-in ("sign in", "verify your account", "type your passcode"), aimed at a
destination that is not a trusted host; or a request to hand a credential to someone; or to pay with gift cards,
crypto or a wire. Hosts are compared after parsing (userinfo, ports, backslashes, IDN/punycode, trailing dots),
so `intranet.example.com.evil.net` and `https://intranet.example.com@evil.net` are outside hosts. Negated
advice ("never type your password into ...") and warnings about what phishing emails ask are not lures.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Names that cannot be public internet hosts: single labels ("http://wiki/") and private-use suffixes.
_PRIVATE_SUFFIXES = ("local", "internal", "intranet", "lan", "corp", "home.arpa", "localhost")
# RFC 1918, loopback, link-local and unique-local addresses (not ipaddress.is_private: it includes TEST-NETs).
_PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                              "127.0.0.0/8", "169.254.0.0/16", "::1/128", "fc00::/7"))
_FILE_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "csv", "ppt", "pptx", "txt", "md", "html", "htm", "png",
                    "jpg", "jpeg", "gif", "svg", "zip", "exe", "msi", "pkg", "dmg", "json", "xml", "yaml", "yml",
                    "py", "js", "ts", "css", "log", "ini", "cfg", "conf", "mp4", "mp3", "eml", "msg"}

_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`)\]]+|\bwww\.[^\s<>\"'`)\]]+", re.I)
_MD_TARGET = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)")
_EMAIL = re.compile(r"\b[\w.+-]+@((?:[\w-]+\.)+[\w-]{2,})", re.U)
# A bare host: dotted labels whose last one looks like a TLD (all lower or all upper case, or punycode), so that
# "holidays.The" from a missing space is not a host.
_HOST = re.compile(r"(?<![\w@./\\-])((?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[a-z]{2,24}|[A-Z]{2,24}|xn--[a-z0-9-]+)"
                   r"|(?:\d{1,3}\.){3}\d{1,3})(?![\w-]|\.[^\W_])", re.U)

_CREDENTIAL = (
    r"pass(?:word|phrase|code|wd)s?|pass[ -]codes?|\bPINs?\b|pin (?:code|number)s?|(?:mfa|2fa|otp|one[- ]time|"
    r"verification|security|authenticat(?:ion|or)(?: app)?|sign[- ]?in|log[- ]?in|access|sms|text) (?:pass)?codes?"
    r"|one[- ]time (?:passcode|password|pin)s?|credentials?|(?:log[- ]?in|log[- ]?on|sign[- ]?in|account|network|"
    r"windows|domain|banking|bank(?: account)?|payment|card|payroll|direct deposit|security) (?:details|information"
    r"|info|credentials|numbers?)|user ?names? and passwords?|recovery (?:codes?|keys?|phrases?)|seed phrase|"
    r"api keys?|private keys?|secret keys?|(?:session|access|security) tokens?|security (?:questions?|answers?)"
    r"|card numbers?|cvv|cvc|sort codes?|account numbers?|iban"
)
_CRED = re.compile(rf"\b(?:{_CREDENTIAL})\b", re.I)
_SUBJECT = r"(?:your|their|his|her|the|my|our|a|an|all|any|existing|current|usual|current|new|temporary)"
# Actions that sign in somewhere or hand over a credential.
_LOGIN = re.compile(
    r"\b(?:sign(?:s|ed|ing)?[- ]?(?:in|on|into)|log(?:s|ged|ging)?[- ]?(?:in|on|into)|login|logon|authenticat\w*"
    r"|(?:re-?)?(?:verify|verif(?:ies|ied|ying)|validat\w*|confirm\w*|reconfirm\w*|updat\w*|activat\w*|"
    r"reactivat\w*|unlock\w*|restor\w*|secur(?:e|es|ing)|sync\w*|register\w*|enrol\w*)\s+"
    rf"(?:{_SUBJECT}\s+)?(?:[\w-]+\s+){{0,3}}(?:accounts?|identity|identities|credentials?|details|mailbox(?:es)?|"
    r"logins?|access|profiles?|information|email|sessions?|devices?|payroll|salary|bank|deposit)\b"
    rf"|(?:re-?)?(?:enter|type|input|key|fill|submit|supply|provide|give|send|share|email|e-mail|text|read|"
    rf"tell|forward|paste|disclose|hand)\w*(?:\s+(?:in|out|aloud|over|back))?\s+(?:{_SUBJECT}\s+)?"
    rf"(?:[\w-]+\s+){{0,3}}(?:{_CREDENTIAL})"
    rf"|repl(?:y|ies|ying)\s+(?:to\s+(?:[\w-]+\s+){{0,4}})?with\s+(?:{_SUBJECT}\s+)?(?:[\w-]+\s+){{0,3}}(?:{_CREDENTIAL})"
    rf"|(?:reset|chang|renew|recover)\w*\s+(?:{_SUBJECT}\s+)?(?:[\w-]+\s+){{0,3}}(?:{_CREDENTIAL})"
    r"|re-?(?:enter|type|register|validate)\w*)",
    re.I,
)
_LOGIN_PLACE = re.compile(r"\b(?:portal|sign[- ]?in page|log[- ]?in page|login screen|single sign-on|sso)\b", re.I)
# Directives: an imperative opening, "staff should/must/are asked to", "please", "required".
_IMPERATIVE_VERBS = (
    r"sign|log|go|visit|click|tap|open|enter|type|key|input|confirm|verify|validate|re-?\w+|update|authenticate"
    r"|provide|submit|send|reply|respond|email|e-mail|call|text|follow|use|navigate|head|access|complete|fill"
    r"|buy|purchase|pay|wire|transfer|scan|download|install|run|register|browse|point|check|make|ensure|share"
    r"|give|read|tell|forward|paste|secure|sync|unlock|activate|restore|please|kindly|remember|don't forget|be sure"
)
_IMPERATIVE = re.compile(
    rf"^(?:[\W\d]*(?:(?:now|today|then|also|first|next|simply|just|securely|quickly|immediately|urgently)\s+)?)"
    rf"(?:{_IMPERATIVE_VERBS})\b|(?:^|[,;:(]\s*|\band\s+|\bthen\s+)(?:{_IMPERATIVE_VERBS})\b",
    re.I,
)
_MODAL = re.compile(
    r"\b(?:should|must|shall|need(?:s)? to|have to|has to|will need to|ought to|can|may|are to|is to|"
    r"(?:are|is|were|be|been|being) (?:asked|required|requested|expected|reminded|instructed|encouraged|invited|"
    r"advised|told|urged|obliged)(?: to)?|requires?|required|mandatory|please|kindly|unless you|"
    r"(?:asks|tells|wants|needs|requests?) (?:you|staff|employees|everyone|all)|action required|in order to"
    r"|to avoid)\b",
    re.I,
)
_NEGATED = re.compile(r"\b(?:never|not|no|don't|do not|doesn't|won't|cannot|can't|mustn't|shouldn't|avoid|refuse"
                      r"|instead of)\b[^.;:]{0,40}$", re.I)
# The asker is an unknown party ("if an email asks you to ..."): a warning about phishing, not a directive.
_REPORTED = re.compile(
    r"\b(?:e-?mails?|messages?|texts?|sms|calls?|callers?|someone|anyone|anybody|strangers?|sites?|pages?|websites?"
    r"|pop-?ups?|links?|phishing|scam\w*|attackers?|criminals?|fraudsters?)\b[^.;]{0,60}\b(?:ask|asks|asking|"
    r"tell|tells|telling|request|requests|requesting|prompt|prompts|prompting|urg\w+|imitat\w+|pretend\w*)\b",
    re.I,
)
_GIFT_OR_CRYPTO = re.compile(
    r"\b(?:buy|purchase|get|pick up|send|scratch|read|email|text)\w*\b[^.;]{0,60}\b(?:gift ?cards?|vouchers?|"
    r"itunes|google play|steam cards?|bitcoin|btc|crypto\w*|usdt|ethereum|wallet)\b|\b(?:gift ?card|voucher) "
    r"(?:codes?|numbers?)\b[^.;]{0,40}\b(?:to|send|email|text)\b|\bsend\b[^.;]{0,30}\bto\b[^.;]{0,30}\bwallet\b",
    re.I,
)
_WIRE = re.compile(r"\b(?:wire|transfer|send|pay)\w*\b[^.;]{0,60}\b(?:to|into|at)\b", re.I)
_MONEY = re.compile(r"\b(?:money|funds|payments?|deposits?|fees?|invoices?|amount|balance|refund)\b|[£$€]\s?\d", re.I)
_ACCOUNT_NUMBER = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b|\baccount (?:number )?\d{6,}|\bsort code\b", re.I)
_SOFTWARE = re.compile(r"\b(?:download|install|run|open the attachment|execute)\w*\b", re.I)


@dataclass(frozen=True, slots=True)
class TrustedHosts:
    """Hosts (and their subdomains) that links may point to; private-use names are always trusted."""

    hosts: tuple[str, ...] = ()

    @classmethod
    def of(cls, hosts: Iterable[str]) -> TrustedHosts:
        return cls(tuple(dict.fromkeys(h for h in (normalise_host(x) for x in hosts) if h)))

    def trusts(self, host: str) -> bool:
        host = normalise_host(host)
        if not host:
            return True
        try:
            ip = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            ip = None
        if ip is not None:
            return any(ip in net for net in _PRIVATE_NETWORKS) or host in self.hosts
        if "." not in host or host.endswith(tuple("." + s for s in _PRIVATE_SUFFIXES)) or host in _PRIVATE_SUFFIXES:
            return True
        return any(host == h or host.endswith("." + h) for h in self.hosts)


def normalise_host(value: str) -> str:
    """A bare host from a URL, 'host:port', 'user@host' or a host name: lower case, punycode, no trailing dot."""
    value = value.strip().strip("<>()[]`'\".,;:!?").replace("\\", "/")
    if "://" not in value:
        value = "//" + value.lstrip("/")
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        if not host.isascii():  # not even valid IDN: keep it unmatched with anything trusted
            host = "xn--invalid-" + host.encode("unicode_escape").decode("ascii")
    return host


def destinations(sentence: str) -> list[str]:
    """Every host a sentence points to: URLs, Markdown link targets, bare host names, e-mail domains."""
    found: list[str] = []
    for match in _MD_TARGET.finditer(sentence):
        found.append(normalise_host(match.group(2)) if "." in match.group(2) or "//" in match.group(2) else "")
    rest = _MD_TARGET.sub(lambda m: f" {m.group(1)} ", sentence)
    for match in _URL.finditer(rest):
        found.append(normalise_host(match.group(0)))
    rest = _URL.sub(" ", rest)
    for match in _EMAIL.finditer(rest):
        found.append(normalise_host(match.group(1)))
    rest = _EMAIL.sub(" ", rest)
    for match in _HOST.finditer(rest):
        candidate = match.group(1)
        if candidate.rsplit(".", 1)[-1].lower() in _FILE_EXTENSIONS:
            continue
        found.append(normalise_host(candidate))
    return [h for h in found if h]


def _link_text_mismatch(sentence: str, trusted: TrustedHosts) -> str | None:
    """'[intranet.example.com/x](https://evil.net)': the visible text names another host than the target."""
    for match in _MD_TARGET.finditer(sentence):
        target = normalise_host(match.group(2)) if "." in match.group(2) or "//" in match.group(2) else ""
        shown = destinations(match.group(1))
        if target and shown and target not in shown and not trusted.trusts(target):
            return target
    return None


def _directive(text: str) -> bool:
    return bool(_IMPERATIVE.search(text) or _MODAL.search(text))


def _live_actions(text: str) -> list[re.Match]:
    """Sign-in and credential actions not negated ('never type your password') nor reported ('emails ask you to')."""
    live = []
    for match in _LOGIN.finditer(text):
        before = text[max(0, match.start() - 80):match.start()]
        clause = re.split(r"[.;:,()]|\b(?:but|and|then)\b", before)[-1]
        if _NEGATED.search(clause) or _REPORTED.search(clause):
            continue
        live.append(match)
    return live


def lure_reason(sentence: str, trusted: TrustedHosts) -> str | None:
    """Why `sentence` reads as a phishing instruction to the reader, or None. Raw text: link targets matter."""
    text = " ".join(sentence.split())
    readable = _MD_TARGET.sub(lambda m: m.group(1), text)
    outside = [h for h in destinations(text) if not trusted.trusts(h)]
    mismatch = _link_text_mismatch(text, trusted)
    if mismatch:
        return f"a link whose text names another site than where it goes ({mismatch})"
    if not _directive(readable):
        return None
    actions = _live_actions(readable)
    credential = any(_CRED.search(m.group(0)) for m in actions) or bool(actions and _CRED.search(readable))
    if outside and (actions or (_LOGIN_PLACE.search(readable) and not _NEGATED.search(readable.split(",")[0]))):
        what = "give credentials" if credential else "sign in or confirm account details"
        return f"asks readers to {what} at an outside site ({outside[0]})"
    if _GIFT_OR_CRYPTO.search(readable) and not _negated_sentence(readable):
        return "asks readers to pay with gift cards or crypto-currency"
    wire = _WIRE.search(readable) and _MONEY.search(readable)
    if wire and (outside or _ACCOUNT_NUMBER.search(readable)) and not _negated_sentence(readable):
        return "asks readers to send money to an outside account"
    if any(_CRED.search(m.group(0)) and _disclosure(m.group(0)) for m in actions):
        return "asks readers to hand a credential to someone"
    if outside and _SOFTWARE.search(readable) and not _negated_sentence(readable):
        return f"asks readers to download or run software from an outside site ({outside[0]})"
    return None


def _negated_sentence(text: str) -> bool:
    return bool(re.search(r"\b(?:never|do not|don't|must not|mustn't|should not|shouldn't|no one)\b", text, re.I))


def _disclosure(action: str) -> bool:
    """Handing a credential over (send, share, read out, reply with) rather than typing it where it belongs."""
    return bool(re.match(r"(?:send|share|give|e-?mail|text|read|tell|forward|disclose|hand|paste|repl)", action, re.I))
