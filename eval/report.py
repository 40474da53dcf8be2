"""Reports of an evaluation run: results.json (every detail), summary.md, and a self-contained report.html."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from ragqa.eval.metrics import METRICS

RESULTS_JSON = "results.json"
SUMMARY_MD = "summary.md"
REPORT_HTML = "report.html"


class BaselineError(ValueError):
    """A --baseline file that cannot be read as a previous run's results."""


# --- baseline ----------------------------------------------------------------------------------------


def load_baseline(path: Path) -> dict[str, float]:
    """Metrics of a previous run: its results.json, or a JSON object {"metrics": {...}} or {metric: value}."""
    path = Path(path)
    if not path.is_file():
        raise BaselineError(f"baseline {path} does not exist: pass the results.json of an earlier `ragqa eval`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not JSON ({exc}); pass an earlier run's results.json") from None
    metrics = data.get("metrics", data) if isinstance(data, dict) else None
    if not isinstance(metrics, dict):
        raise BaselineError(f"baseline {path} holds no metrics object; pass an earlier run's results.json")
    known = {k: float(v) for k, v in metrics.items() if k in METRICS and isinstance(v, int | float)}
    if not known:
        raise BaselineError(f"baseline {path} has none of the known metrics ({', '.join(METRICS)})")
    return known


def compare(current: dict[str, float | None], baseline: dict[str, float]) -> dict[str, dict]:
    """Every metric in either run: current, baseline and the change (None where one side is missing)."""
    out = {}
    for name in METRICS:
        now, before = current.get(name), baseline.get(name)
        if now is None and before is None:
            continue
        delta = now - before if now is not None and before is not None else None
        out[name] = {"current": now, "baseline": before, "delta": delta}
    return out


def _better(name: str, delta: float | None) -> bool | None:
    if delta is None or abs(delta) < 1e-9:
        return None
    return (delta > 0) == METRICS[name].higher_is_better


# --- formatting ------------------------------------------------------------------------------------------


def fmt(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if METRICS[name].unit == "ms" else f"{value:.3f}"


def fmt_delta(name: str, delta: float | None) -> str:
    if delta is None:
        return "—"
    return f"{delta:+.0f}" if METRICS[name].unit == "ms" else f"{delta:+.3f}"


def _rows(run) -> list[tuple[str, float | None, float | None, float | None]]:
    """(metric, value, baseline, delta) for every metric measured in this run."""
    rows = []
    for name, value in run.metrics.items():
        if value is None and name not in run.baseline:
            continue
        b = run.baseline.get(name, {})
        rows.append((name, value, b.get("baseline"), b.get("delta")))
    return rows


def _failed(run) -> list[dict]:
    return [q for q in run.questions if q.get("failures")]


def _title(run) -> str:
    m = run.meta
    what = m.get("dataset") or "questions"
    return f"ragqa evaluation — {Path(str(what)).name}"


def _meta_line(run) -> str:
    m = run.meta
    parts = [f"{m.get('questions', 0)} questions", f"mode {m.get('mode')}"]
    if m.get("mode") == "answer":
        parts.append(f"llm {m.get('llm') or 'default'}")
        if m.get("judge"):
            parts.append(f"judge {m['judge']}")
    for key, label in (("index_version", "index"), ("chunks", "chunks"), ("retrieval_mode", "retrieval")):
        if m.get(key) is not None:
            parts.append(f"{label} {m[key]}")
    parts.append(f"{m.get('duration_s', 0):.0f} s")
    parts.append(str(m.get("started_at", "")))
    return " · ".join(parts)


# --- Markdown --------------------------------------------------------------------------------------------


def markdown(run) -> str:
    lines = [f"# {_title(run)}", "", _meta_line(run), ""]
    if run.gates:
        failed = [g for g in run.gates if not g["passed"]]
        lines += [f"**Quality gate: {'FAILED' if failed else 'passed'}**", ""]
        lines += [f"- {'✗' if not g['passed'] else '✓'} {g['message']}" for g in run.gates] + [""]
    with_baseline = bool(run.baseline)
    header = "| metric | value |" + (" baseline | change |" if with_baseline else "") + " meaning |"
    lines += [header, "|---|---:|" + ("---:|---:|" if with_baseline else "") + "---|"]
    for name, value, before, delta in _rows(run):
        cells = [name, fmt(name, value)]
        if with_baseline:
            cells += [fmt(name, before), fmt_delta(name, delta)]
        lines.append("| " + " | ".join(cells + [METRICS[name].description]) + " |")
    if run.by_type:
        keys = sorted({k for v in run.by_type.values() for k in v if k != "questions"})
        lines += ["", "## By question type", "", "| type | questions | " + " | ".join(keys) + " |",
                  "|---|---:|" + "---:|" * len(keys)]
        for qtype, values in run.by_type.items():
            cells = [qtype, str(values["questions"])] + [fmt(k, values.get(k)) for k in keys]
            lines.append("| " + " | ".join(cells) + " |")
    failed = _failed(run)
    lines += ["", f"## Failures ({len(failed)} of {len(run.questions)})", ""]
    for q in failed:
        lines.append(f"- **{q['id']}** ({q['type']}) {_md(q['question'])} — {_md('; '.join(q['failures']))}")
    if not failed:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


# --- HTML ------------------------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1200px;color:#1d2430;
padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde3ea}
.meta{color:#5a6675}.gate{padding:.6rem 1rem;border-radius:6px;margin:1rem 0}
.pass{background:#e5f5e9;border:1px solid #8ccf9c}.fail{background:#fde8e8;border:1px solid #e79a9a}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #e6eaef;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f6f9;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.up{color:#1d7a35}.down{color:#b42318}.muted{color:#6b7785}.tag{display:inline-block;background:#eef1f5;border-radius:4px;
padding:0 .35rem;margin:0 .2rem .2rem 0;font-size:12px}.tag.bad{background:#fde8e8}.tag.good{background:#e5f5e9}
svg text{font:12px system-ui,sans-serif;fill:#1d2430}details{margin:.5rem 0}summary{cursor:pointer;color:#2b5fab}
.answer{white-space:pre-wrap;max-width:420px}
"""


def html_report(run) -> str:
    gates = ""
    if run.gates:
        failed = [g for g in run.gates if not g["passed"]]
        items = "".join(f"<li>{'✗' if not g['passed'] else '✓'} {escape(g['message'])}</li>" for g in run.gates)
        gates = (f'<div class="gate {"fail" if failed else "pass"}"><strong>Quality gate: '
                 f'{"FAILED" if failed else "passed"}</strong><ul>{items}</ul></div>')
    latencies = [q["latency_ms"] for q in run.questions if q.get("latency_ms") is not None]
    failed = _failed(run)
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{escape(_title(run))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(_title(run))}</h1><p class=meta>{escape(_meta_line(run))}</p>", gates,
        "<h2>Metrics</h2>", metric_bars_svg(run), _metrics_table(run),
        "<h2>Latency</h2>", latency_histogram_svg(latencies, run.metrics),
        _by_type_table(run),
        f"<h2>Failures ({len(failed)} of {len(run.questions)})</h2>",
        _questions_table(failed) if failed else "<p>None.</p>",
        f"<details><summary>All {len(run.questions)} questions</summary>{_questions_table(run.questions)}</details>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


def metric_bars_svg(run) -> str:
    """Horizontal bars for every 0..1 metric, with the baseline as a tick when there is one."""
    rows = [(n, v, b) for n, v, b, _ in _rows(run) if METRICS[n].unit == "" and v is not None]
    if not rows:
        return "<p class=muted>No 0–1 metrics in this run.</p>"
    label_w, bar_w, row_h = 190, 520, 24
    height = row_h * len(rows) + 24
    out = [f'<svg role="img" aria-label="metric bars" width="{label_w + bar_w + 80}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + tick * bar_w
        out.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#e6eaef"/>'
                   f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" class="muted">{tick:g}</text>')
    for i, (name, value, before) in enumerate(rows):
        y = i * row_h + 4
        colour = "#3b7dd8" if value >= 0.7 else "#e0a030" if value >= 0.4 else "#d9534f"
        out.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">{escape(name)}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{max(value, 0) * bar_w:.1f}" height="{row_h - 8}" '
                   f'fill="{colour}" rx="2"><title>{escape(name)} {value:.3f}</title></rect>'
                   f'<text x="{label_w + max(value, 0) * bar_w + 6:.1f}" y="{y + 14}">{value:.3f}</text>')
        if before is not None:
            x = label_w + before * bar_w
            out.append(f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + row_h - 6}" stroke="#1d2430" '
                       f'stroke-width="2"><title>baseline {before:.3f}</title></line>')
    out.append("</svg>")
    return "".join(out)


def latency_histogram_svg(latencies: list[float], metrics: dict, bins: int = 12) -> str:
    """Histogram of per-question latency with the p50 and p95 marked."""
    if not latencies:
        return "<p class=muted>No latencies recorded.</p>"
    lo, hi = min(latencies), max(latencies)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for v in latencies:
        counts[min(int((v - lo) / span * bins), bins - 1)] += 1
    width, height, left, bottom = 640, 200, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - 10
    top = max(counts)
    out = [f'<svg role="img" aria-label="latency histogram" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    bar = plot_w / bins
    for i, c in enumerate(counts):
        h = c / top * plot_h
        x0 = lo + i * span / bins
        out.append(f'<rect x="{left + i * bar + 1:.1f}" y="{10 + plot_h - h:.1f}" width="{bar - 2:.1f}" '
                   f'height="{h:.1f}" fill="#6c9bd8"><title>{x0:.0f}–{x0 + span / bins:.0f} ms: {c}</title></rect>')
    out.append(f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" stroke="#5a6675"/>')
    out.append(f'<text x="{left}" y="{height - 8}">{lo:.0f} ms</text>'
               f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end">{hi:.0f} ms</text>'
               f'<text x="{left - 6}" y="18" text-anchor="end">{top}</text>')
    for key, colour in (("latency_p50_ms", "#1d7a35"), ("latency_p95_ms", "#b42318")):
        value = metrics.get(key)
        if value is None:
            continue
        x = left + (value - lo) / span * plot_w
        label = key.removeprefix("latency_").removesuffix("_ms")
        out.append(f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{10 + plot_h}" stroke="{colour}" '
                   f'stroke-dasharray="4 3"/><text x="{x + 4:.1f}" y="{22 if label == "p50" else 36}" '
                   f'fill="{colour}">{label} {value:.0f} ms</text>')
    out.append("</svg>")
    return "".join(out)


def _metrics_table(run) -> str:
    with_baseline = bool(run.baseline)
    head = "<th>metric</th><th>value</th>" + ("<th>baseline</th><th>change</th>" if with_baseline else "")
    rows = []
    for name, value, before, delta in _rows(run):
        cells = f"<td>{escape(name)}</td><td class=num>{fmt(name, value)}</td>"
        if with_baseline:
            better = _better(name, delta)
            cls = "" if better is None else " up" if better else " down"
            cells += f"<td class=num>{fmt(name, before)}</td><td class='num{cls}'>{fmt_delta(name, delta)}</td>"
        rows.append(f"<tr>{cells}<td class=muted>{escape(METRICS[name].description)}</td></tr>")
    return f"<table><tr>{head}<th>meaning</th></tr>{''.join(rows)}</table>"


def _by_type_table(run) -> str:
    if not run.by_type:
        return ""
    keys = sorted({k for v in run.by_type.values() for k in v if k != "questions"})
    head = "".join(f"<th>{escape(k)}</th>" for k in ["type", "questions", *keys])
    rows = "".join(
        f"<tr><td>{escape(t)}</td><td class=num>{v['questions']}</td>"
        + "".join(f"<td class=num>{fmt(k, v.get(k))}</td>" for k in keys) + "</tr>"
        for t, v in run.by_type.items()
    )
    return f"<h2>By question type</h2><table><tr>{head}</tr>{rows}</table>"


def _questions_table(questions: list[dict]) -> str:
    head = "<tr><th>id</th><th>question</th><th>answer</th><th>citations</th><th>expected</th><th>why</th></tr>"
    return f"<table>{head}{''.join(_question_row(q) for q in questions)}</table>"


def _question_row(q: dict) -> str:
    expected = set(q["expected_sources"])
    if "abstained" in q:
        answer = ("<span class=tag>abstained</span> " if q["abstained"] else "") + escape(q.get("answer", ""))
        cites = "".join(f'<span class="tag {"good" if c["doc_id"] in expected else "bad"}">[{c["ref"]}] '
                        f'{escape(c["doc_id"])}</span>' for c in q.get("citations", []))
    else:
        answer = "<span class=muted>retrieval only</span>"
        cites = "".join(f'<span class="tag {"good" if d in expected else ""}">{escape(d)}</span>'
                        for d in q.get("retrieved", [])[:5])
    found = dict(zip(q["key_facts"], q.get("key_facts_found") or [False] * len(q["key_facts"]), strict=True))
    facts = "".join(f'<span class="tag {"good" if ok else "bad"}">{escape(f)}</span>' for f, ok in found.items())
    sources = "".join(f"<span class=tag>{escape(d)}</span>" for d in q["expected_sources"])
    expected_cell = (sources or "<span class=muted>not answerable: should abstain</span>") + (
        f"<br>{facts}" if facts else "") + (
        f"<br><span class=muted>{escape(q['reference_answer'])}</span>" if q.get("reference_answer") else "")
    groups = f"<br><span class=muted>as {escape(', '.join(q['groups']))}</span>" if q.get("groups") else ""
    why = "".join(f"<div>{escape(f)}</div>" for f in q.get("failures", []))
    why += "".join(f"<div class=muted>{escape(w)}</div>" for w in q.get("warnings", []))
    return (f"<tr><td>{escape(q['id'])}<br><span class=muted>{escape(q['type'])}</span></td>"
            f"<td>{escape(q['question'])}{groups}</td><td class=answer>{answer}</td><td>{cites}</td>"
            f"<td>{expected_cell}</td><td>{why}</td></tr>")


# --- writing ---------------------------------------------------------------------------------------------


def write_reports(run, out_dir: Path) -> dict[str, Path]:
    """Write the three reports into out_dir (created if needed); returns their paths by kind."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / RESULTS_JSON, "markdown": out_dir / SUMMARY_MD, "html": out_dir / REPORT_HTML}
    paths["json"].write_text(json.dumps(run.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["markdown"].write_text(markdown(run), encoding="utf-8")
    paths["html"].write_text(html_report(run), encoding="utf-8")
    return paths
