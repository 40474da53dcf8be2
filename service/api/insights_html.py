"""The insights page (`ragqa insights --html`, and /admin with its feedback review): one self-contained HTML file.

No script, no CDN, no external request (the intranet is offline): charts are inline SVG, the one style block is
allowed by its hash in the Content-Security-Policy, and every value from the log is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1a202c;background:#fff}
header,main{max-width:70rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #cbd5e0}
a{color:#1c4f91}
a:focus,button:focus,input:focus,select:focus,summary:focus{outline:3px solid #d69e2e;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem}
nav ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #e2e8f0;vertical-align:top}th{background:#f7fafc}
.num{text-align:right}.muted{color:#4a5568}.down{color:#9b2c2c}.up{color:#276749}
.totals{display:flex;gap:1.5rem;flex-wrap:wrap;padding:0;list-style:none}.totals strong{font-size:1.3rem;display:block}
article.fb{border:1px solid #e2e8f0;border-radius:6px;padding:.6rem .9rem;margin:.7rem 0}
blockquote{margin:.3rem 0;padding-left:.7rem;border-left:3px solid #cbd5e0;white-space:pre-wrap}
form.filters{display:flex;gap:1rem;align-items:end;flex-wrap:wrap}form.filters label{display:flex;flex-direction:column}
svg text{font:12px system-ui,sans-serif;fill:#1a202c}svg{max-height:18rem;display:block}
form.signin{display:flex;flex-direction:column;gap:.4rem;max-width:30rem}form.signin input{font:inherit;padding:.3rem}
form.signin button,form.signout button{align-self:start;font:inherit}.error{color:#9b2c2c;font-weight:600}
"""
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
CSP = f"default-src 'none'; style-src '{STYLE_HASH}'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
CSP_HEADER = CSP + "; frame-ancestors 'none'"  # frame-ancestors works only as a header, not in <meta>


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(items: list[tuple[str, int]], *, label: str, width: int = 720) -> str:
    """Horizontal bars, one per (name, value); each bar carries its full name and value as a tooltip."""
    if not items:
        return ""
    row, left = 24, 300
    top = max(v for _, v in items) or 1
    parts = [f'<svg role="img" aria-label="{e(label)}" viewBox="0 0 {width} {row * len(items) + 6}" '
             f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">']
    for i, (name, value) in enumerate(items):
        y, w = i * row + 3, (width - left - 50) * value / top
        parts.append(f'<g><title>{e(name)}: {value}</title>'
                     f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{e(_short(name, 44))}</text>'
                     f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="#2b6cb0"/>'
                     f'<text x="{left + w + 5:.1f}" y="{y + 15}">{value}</text></g>')
    return "".join(parts) + "</svg>"


def day_chart(days: list[dict], *, width: int = 720, height: int = 180) -> str:
    """Questions per day as columns, the abstained part in a darker shade."""
    if not days:
        return ""
    top = max(d["questions"] for d in days) or 1
    step = width / len(days)
    bar = max(1.0, step * 0.8)
    total = sum(d["questions"] for d in days)
    parts = [f'<svg role="img" aria-label="{e(f"Questions per day: {total} over {len(days)} day(s)")}" '
             f'viewBox="0 0 {width} {height + 20}" width="100%" xmlns="http://www.w3.org/2000/svg">']
    for i, d in enumerate(days):
        x = i * step + (step - bar) / 2
        h_all, h_abs = height * d["questions"] / top, height * d["abstained"] / top
        rect = f'<rect x="{x:.1f}" width="{bar:.1f}" '
        parts.append(f'<g><title>{e(d["day"])}: {d["questions"]} question(s), {d["abstained"]} unanswered</title>'
                     f'{rect}y="{height - h_all:.1f}" height="{h_all:.1f}" fill="#90cdf4"/>'
                     f'{rect}y="{height - h_abs:.1f}" height="{h_abs:.1f}" fill="#c05621"/></g>')
    parts.append(f'<text x="0" y="{height + 16}">{e(days[0]["day"])}</text>'
                 f'<text x="{width}" y="{height + 16}" text-anchor="end">{e(days[-1]["day"])}</text></svg>')
    return "".join(parts)


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{e(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>'
                                    for i, cell in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _link(title: str, url: str | None) -> str:
    return f'<a href="{e(url)}">{e(title)}</a>' if url and url.startswith(("http://", "https://", "/")) else e(title)


def _citation(c: dict, passages: bool) -> str:
    if c.get("restricted"):
        return f"<li>[{c['ref']}] <span class=muted>an article restricted to groups you are not in</span></li>"
    text = f"<blockquote>{e(c.get('text'))}</blockquote>" if passages and c.get("text") else ""
    return f"<li>[{c['ref']}] {_link(c.get('title') or c.get('doc_id'), c.get('url'))} " \
           f"<span class=muted>({e(c.get('doc_id'))})</span>{text}</li>"


def feedback_items(entries: list[dict], *, passages: bool) -> str:
    """Each piece of feedback with its question, answer and citations (passages folded away)."""
    if not entries:
        return "<p>No feedback in this period.</p>"
    out = []
    for f in entries:
        rating = "not helpful" if f["rating"] == "down" else "helpful"
        head = (f'<p><strong class="{e(f["rating"])}">{rating}</strong> · {e(f["created_at"])} · '
                f'<span class=muted>{e(f["caller"])} · request {e(f["request_id"])}</span></p>')
        comment = f"<p>Comment:</p><blockquote>{e(f['comment'])}</blockquote>" if f.get("comment") else ""
        if not f.get("logged"):
            body = "<p class=muted>The answer is no longer in the answer log (retention, or the log was off).</p>"
        else:
            cites = "".join(_citation(c, passages) for c in f.get("citations", []))
            sources = (f"<details><summary>Sources ({len(f['citations'])})</summary><ul>{cites}</ul></details>"
                       if cites else "")
            note = " <span class=muted>(no answer found)</span>" if f.get("abstained") else ""
            body = (f"<p>Question: <q>{e(f.get('question'))}</q></p>"
                    f"<p>Answer{note}:</p><blockquote>{e(f.get('answer'))}</blockquote>{sources}")
        out.append(f'<article class="fb">{head}{body}{comment}</article>')
    return "".join(out)


def _filters(filters: dict) -> str:
    rating = filters.get("rating") or ""
    options = "".join(f'<option value="{v}"{" selected" if v == rating else ""}>{t}</option>'
                      for v, t in (("", "any"), ("down", "not helpful"), ("up", "helpful")))
    return ('<form class="filters" method="get" action="/admin"><label>Rating<select name="rating">'
            f'{options}</select></label><label>From (YYYY-MM-DD)<input name="since" value="{e(filters.get("since"))}"'
            ' pattern="\\d{4}-\\d{2}-\\d{2}" inputmode="numeric"></label><label>To (YYYY-MM-DD)<input name="until" '
            f'value="{e(filters.get("until"))}" pattern="\\d{{4}}-\\d{{2}}-\\d{{2}}" inputmode="numeric"></label>'
            '<button type="submit">Apply</button></form>')


_SIGN_OUT = ('<form class="signout" method="post" action="/admin/sign-out"><button type="submit">Sign out</button>'
             '</form>')


def render_page(insights: dict, *, title: str = "ragqa insights", feedback: list[dict] | None = None,
                filters: dict | None = None, signed_in: bool = False) -> str:
    """The whole page; with `feedback`, the admin page's review section (passages included) and filters;
    `signed_in`: the reader came in through the sign-in form, so the page offers to sign out."""
    t = insights["totals"]
    totals = "".join(f"<li><strong>{e(v)}</strong>{e(k)}</li>" for k, v in (
        ("questions", t["questions"]), ("unanswered", t["abstained"]),
        ("unanswered share", f"{100 * t['abstention_rate']:.0f}%"), ("helpful", t["thumbs_up"]),
        ("not helpful", t["thumbs_down"])))
    gaps = insights["content_gaps"]
    gap_rows = [[str(g["count"]), e(g["example"]), "<br>".join(e(v) for v in g["variants"][1:]) or "–",
                 e(g["last_asked"])] for g in gaps]
    cited = insights["most_cited"]
    cited_rows = [[_link(c["title"], c["url"]), e(c["doc_id"]), str(c["answers"])] for c in cited]
    hidden = (f"<p class=muted>{insights['citations_hidden']} citation(s) of articles restricted to groups you are "
              "not in are counted in no row.</p>" if insights.get("citations_hidden") else "")
    sections = [("gaps", "Content gaps: questions without an answer",
                 (bar_chart([(g["example"], g["count"]) for g in gaps], label="Unanswered questions by topic")
                  + _table(["times asked", "example question", "also asked as", "last asked"], gap_rows, {0}))
                 if gaps else "<p>Every question in this period found an answer.</p>")]
    if feedback is not None:
        sections.append(("feedback", "Feedback with its answers", feedback_items(feedback, passages=True)))
    else:
        sections.append(("disliked", "Answers rated not helpful",
                         feedback_items(insights["thumbs_down"], passages=False)))
    sections.append(("cited", "Most cited articles",
                     (bar_chart([(c["title"], c["answers"]) for c in cited], label="Answers citing each article")
                      + _table(["article", "doc id", "answers citing it"], cited_rows, {2}) if cited
                      else "<p>No article was cited in this period.</p>") + hidden))
    days = insights["per_day"]
    day_rows = [[e(d["day"]), str(d["questions"]), str(d["abstained"])] for d in days]
    sections.append(("days", "Questions per day", (
        day_chart(days) + "<p class=muted>Light: questions asked; dark: those that found no answer.</p>"
        + "<details><summary>As a table</summary>" + _table(["day", "questions", "unanswered"], day_rows, {1, 2})
        + "</details>") if days else "<p>No questions in this period.</p>"))
    nav = "".join(f'<li><a href="#{sid}">{e(name)}</a></li>' for sid, name, _ in sections)
    body = "".join(f'<section aria-labelledby="{sid}"><h2 id="{sid}" tabindex="-1">{e(name)}</h2>{html}</section>'
                   for sid, name, html in sections)
    window = insights["window"]
    period = f"from {window['since'] or window['first_logged'] or '–'} to {window['until'] or 'now'}"
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}"><style>{_STYLE}</style></head><body>'
            '<a class="skip" href="#main">Skip to content</a>'
            f'<header><h1>{e(title)}</h1><p class=muted>Answer log {e(period)}</p>'
            + (_filters(filters or {}) if feedback is not None else "")
            + f'<nav aria-label="Sections"><ul>{nav}</ul></nav>{_SIGN_OUT if signed_in else ""}</header>'
            f'<main id="main" tabindex="-1"><ul class="totals">{totals}</ul>{body}</main></body></html>')


def access_page(status: int, detail: str, *, alert: bool = True) -> str:
    """What a browser gets at /admin without admin rights: why, a sign-in form for an admin key, the other ways in.

    The form posts the key once (never in the URL); the server answers with a sign-in cookie (admin_session.py).
    """
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ragqa: sign-in needed</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>'
            '<body><main id="main"><h1>This page is for the articles\' owners</h1>'
            + (f'<p class="error" role="alert">{e(detail)} (HTTP {status})</p>' if alert else f"<p>{e(detail)}</p>")
            + '<h2 id="sign-in">Sign in with an admin key</h2>'
            '<form class="signin" method="post" action="/admin/sign-in" aria-labelledby="sign-in">'
            '<label for="key">Admin API key</label><input id="key" name="key" type="password" required '
            'autocomplete="off" spellcheck="false" aria-describedby="key-help">'
            '<p id="key-help" class="muted">The whole key that <code>ragqa keys create --scopes admin</code> printed '
            '(it starts with <code>rq_</code>). This browser then keeps a sign-in cookie for at most 8 hours; '
            'signing out or revoking the key ends it.</p><button type="submit">Sign in</button></form>'
            "<p>Other ways in: open it through the intranet's sign-in proxy as a member of a group the server lists "
            "in <code>RAGQA_PROXY_ADMIN_GROUPS</code>; call it from a script with an admin key "
            "(<code>Authorization: Bearer rq_…</code>); or, on the server, run "
            "<code>ragqa insights --html insights.html</code>.</p></main></body></html>")
