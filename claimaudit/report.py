"""The report: report.json (schema claimaudit.report/1), report.md, report.html, mutants.json.

Plots are drawn from the records' figure data, never from live state, so a merged or re-loaded
report renders the same.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import textwrap
import json
import platform
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimaudit import __version__
from claimaudit.model import STATUSES

REPORT_SCHEMA = "claimaudit.report/1"
MUTANTS_SCHEMA = "claimaudit.mutants/1"


def environment() -> dict[str, str]:
    import hypothesis
    import numpy

    return {"python": sys.version.split()[0], "numpy": numpy.__version__,
            "hypothesis": hypothesis.__version__, "platform": platform.platform()}


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def build_report(records: Sequence[dict[str, Any]], *, seed: int, profile: str, started: str,
                 duration_s: float, registered: int, selected: int,
                 discovery_errors: Sequence[str] = ()) -> dict[str, Any]:
    counts = Counter(r["status"] for r in records)
    summary: dict[str, Any] = {s: counts.get(s, 0) for s in STATUSES}
    summary.update({"registered": registered, "selected": selected, "run": len(records),
                    "skipped": selected - len(records),
                    "known_findings": sum(1 for r in records if r.get("finding") and r["status"] == "violated")})
    report = {
        "schema": REPORT_SCHEMA,
        "claimaudit_version": __version__,
        "seed": seed,
        "profile": profile,
        "started": started,
        "duration_s": round(duration_s, 3),
        "environment": environment(),
        "claims": list(records),
        "summary": summary,
    }
    if discovery_errors:
        report["discovery_errors"] = list(discovery_errors)
    return report


def build_mutants(records: Sequence[dict[str, Any]], *, seed: int, profile: str,
                  descriptions: dict[tuple[str, str], str]) -> dict[str, Any]:
    entries = []
    for r in records:
        entries.append({
            "claim": r["id"], "mutant": r["mutant"],
            "description": descriptions.get((r["id"], r["mutant"]), ""),
            "killed": r["status"] == "violated", "status": r["status"],
            "evidence": r["evidence"], "worst_margin": r["worst_margin"],
            "message": r["message"], "duration_s": r["duration_s"],
        })
    killed = sum(e["killed"] for e in entries)
    return {"schema": MUTANTS_SCHEMA, "claimaudit_version": __version__, "seed": seed,
            "profile": profile, "started": now_iso(), "mutants": entries,
            "summary": {"run": len(entries), "killed": killed, "surviving": len(entries) - killed}}


def write_json(obj: dict[str, Any], path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2, allow_nan=False) + "\n")
    tmp.replace(path)  # never leave a half-written report behind


# --------------------------------------------------------------------------------------- text
_ORDER = {"violated": 0, "error": 1, "inconclusive": 2, "holds": 3}


def _fmt_margin(m: Any) -> str:
    return "—" if m is None else f"{m:.3g}"


def short_message(r: dict[str, Any], limit: int = 180) -> str:
    """The line a summary table shows: a finding's own sentence, else the message, cut."""
    text = r["finding"] if r.get("finding") and r["status"] == "violated" else r["message"]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_label(r: dict[str, Any]) -> str:
    return "violated (finding)" if r.get("finding") and r["status"] == "violated" else r["status"]


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(report: dict[str, Any]) -> str:
    s = report["summary"]
    lines = [
        "# claimaudit report", "",
        f"Seed {report['seed']}, profile `{report['profile']}`, started {report['started']}, "
        f"{report['duration_s']:.1f} s, claimaudit {report['claimaudit_version']}.", "",
        f"**{s['selected']} selected, {s['run']} run, {s['skipped']} skipped** "
        f"(of {s['registered']} registered): {s['holds']} hold, {s['violated']} violated, "
        f"{s['inconclusive']} inconclusive, {s['error']} errored"
        f" ({s.get('known_findings', 0)} of the violations are investigated findings about the paper).", "",
    ]
    if report.get("discovery_errors"):
        lines += ["## Discovery errors", ""] + [f"- {e}" for e in report["discovery_errors"]] + [""]
    claims = sorted(report["claims"], key=lambda r: (_ORDER.get(r["status"], 9), r["id"]))
    bad = [r for r in claims if r["status"] != "holds"]
    if bad:
        lines += ["## Violations and problems", ""]
        for r in bad:
            tag = " — known finding" if r.get("finding") and r["status"] == "violated" else ""
            lines += [f"### `{r['id']}` — {r['status']} ({r['evidence']}){tag}", "",
                      f"{r['reference']}, fidelity `{r['fidelity']}`. {r['statement']}", "",
                      f"{r['message']}", ""]
            if r.get("counterexample") is not None:
                lines += ["Counterexample:", "", "```json",
                          json.dumps(r["counterexample"], indent=1)[:4000], "```", ""]
            lines += [f"Replay: `{r['replay'].get('command', '')}`"
                      + (f", {r['replay']['hypothesis_blob']}" if r["replay"].get("hypothesis_blob") else ""), ""]
    lines += ["## All claims", "",
              "| claim | reference | kind | fidelity | status | evidence | examples | worst margin | message |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in claims:
        lines.append("| " + " | ".join(_md_escape(x) for x in (
            f"`{r['id']}`", r["reference"], r["kind"], r["fidelity"], f"**{status_label(r)}**",
            r["evidence"], r["examples"], _fmt_margin(r["worst_margin"]), short_message(r))) + " |")
    env = report["environment"]
    lines += ["", f"Environment: Python {env['python']}, numpy {env['numpy']}, "
              f"Hypothesis {env['hypothesis']}, {env['platform']}.", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- html
def figure_png(fig: dict[str, Any]) -> str:
    """Render one figure record to a base64 PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f, ax = plt.subplots(figsize=(6.0, 3.8), dpi=90)
    for s in fig["series"]:
        style = s.get("style", "line")
        if style == "points":
            ax.plot(s["x"], s["y"], "o", ms=3.5, alpha=0.7, label=s["label"])
        elif style == "dashed":
            ax.plot(s["x"], s["y"], "--", lw=1.5, label=s["label"])
        else:
            ax.plot(s["x"], s["y"], "-", lw=1.5, label=s["label"])
    from matplotlib.ticker import LogLocator, ScalarFormatter

    for axis, on in ((ax.xaxis, fig.get("logx")), (ax.yaxis, fig.get("logy"))):
        if on:
            (ax.set_xscale if axis is ax.xaxis else ax.set_yscale)("log")
            lo, hi = (ax.get_xlim() if axis is ax.xaxis else ax.get_ylim())
            if hi / lo < 100:  # a short log range reads better with plain numbers
                axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
                axis.set_major_formatter(ScalarFormatter())
                axis.set_minor_formatter(ScalarFormatter() if hi / lo < 5 else "")
    ax.set_xlabel(fig.get("xlabel", ""))
    ax.set_ylabel(fig.get("ylabel", ""))
    ax.set_title(textwrap.fill(fig.get("title", ""), 70), fontsize=8.5)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    f.tight_layout()
    buf = io.BytesIO()
    f.savefig(buf, format="png")
    plt.close(f)
    return base64.b64encode(buf.getvalue()).decode()


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;font-size:13px;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#f3f3f3}.holds{color:#17672b;font-weight:600}.violated{color:#b00020;font-weight:700}
.error{color:#a35200;font-weight:700}.inconclusive{color:#6a5acd;font-weight:600}
pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px;max-height:300px}
section{border-top:1px solid #ddd;margin-top:1.5em}img{max-width:100%}"""


def render_html(report: dict[str, Any]) -> str:
    e = html.escape
    s = report["summary"]
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>claimaudit report</title>"
           f"<style>{_CSS}</style></head><body><h1>claimaudit report</h1>",
           f"<p>Seed {report['seed']}, profile <code>{e(report['profile'])}</code>, started "
           f"{e(report['started'])}, {report['duration_s']:.1f} s.</p>",
           f"<p><b>{s['selected']} selected, {s['run']} run, {s['skipped']} skipped</b> "
           f"(of {s['registered']} registered): {s['holds']} hold, {s['violated']} violated, "
           f"{s['inconclusive']} inconclusive, {s['error']} errored; "
           f"{s.get('known_findings', 0)} of the violations are investigated findings about the paper.</p>"]
    if report.get("discovery_errors"):
        out.append("<h2>Discovery errors</h2><ul>" + "".join(
            f"<li>{e(x)}</li>" for x in report["discovery_errors"]) + "</ul>")
    claims = sorted(report["claims"], key=lambda r: (_ORDER.get(r["status"], 9), r["id"]))
    for paper in sorted({r["paper"] for r in claims}):
        rows = sorted((r for r in claims if r["paper"] == paper), key=lambda r: (_ORDER.get(r["status"], 9), r["id"]))
        counts = Counter(status_label(r) for r in rows)
        out.append(f"<h2>{e(paper)}</h2><p>" + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + "</p>")
        out.append("<table><tr><th>claim</th><th>reference</th><th>kind</th><th>fidelity</th><th>status</th>"
                   "<th>evidence</th><th>examples</th><th>worst margin</th><th>summary</th></tr>")
        for r in rows:
            out.append(f"<tr><td><a href='#{e(r['id'])}'>{e(r['id'].split('/', 1)[1])}</a></td>"
                       f"<td>{e(r['reference'])}</td><td>{r['kind']}</td><td>{r['fidelity']}</td>"
                       f"<td class='{r['status']}'>{e(status_label(r))}</td><td>{r['evidence']}</td>"
                       f"<td>{r['examples']}</td><td>{_fmt_margin(r['worst_margin'])}</td>"
                       f"<td>{e(short_message(r))}</td></tr>")
        out.append("</table>")
    out.append("<h2>Every claim in full</h2>")
    for r in claims:
        out.append(f"<section id='{e(r['id'])}'><h3>{e(r['id'])} — <span class='{r['status']}'>"
                   f"{e(status_label(r))}</span> ({r['evidence']})</h3><p><i>{e(r['reference'])}, fidelity "
                   f"{r['fidelity']}.</i> {e(r['statement'])}</p><p>{e(r['message'])}</p>")
        if r.get("doc"):
            out.append(f"<details><summary>The claim in our words, with its constants</summary><pre>"
                       f"{e(r['doc'])}\n\nconstants: {e(json.dumps(r.get('constants', {})))}</pre></details>")
        if r.get("fit"):
            fit = r["fit"]
            out.append(f"<p>Fitted exponent {fit['slope']:.3f}, {int(100 * fit['confidence'])}% CI "
                       f"[{fit['ci_low']:.3f}, {fit['ci_high']:.3f}], claimed {fit['direction']} "
                       f"{fit['claimed_exponent']:g}; implied constant ratio {fit['implied_constant']['ratio']:.3g}.</p>")
        if r.get("test"):
            out.append(f"<pre>{e(json.dumps(r['test'], indent=1))}</pre>")
        if r.get("counterexample") is not None:
            out.append(f"<p>Counterexample:</p><pre>{e(json.dumps(r['counterexample'], indent=1)[:4000])}</pre>")
        for fig in r.get("figures", []):
            out.append(f"<img alt='{e(fig['title'])}' src='data:image/png;base64,{figure_png(fig)}'>")
        out.append(f"<p><small>Replay: <code>{e(r['replay'].get('command', ''))}</code></small></p></section>")
    env = report["environment"]
    out.append(f"<p><small>Python {e(env['python'])}, numpy {e(env['numpy'])}, Hypothesis "
               f"{e(env['hypothesis'])}, {e(env['platform'])}</small></p></body></html>")
    return "\n".join(out)


def write_report(report: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json(report, out_dir / "report.json")
    (out_dir / "report.md").write_text(render_markdown(report))
    (out_dir / "report.html").write_text(render_html(report))
