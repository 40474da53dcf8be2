"""The quality gate: `--fail-under metric=value` (and `--fail-over` for latencies) checked against a run."""

from __future__ import annotations

from dataclasses import dataclass

from ragqa.eval.metrics import METRICS

GATE_FAILED_EXIT = 3  # distinct from 2 (usage/pipeline errors) so CI can tell a quality drop apart


class GateError(ValueError):
    """A gate that cannot be parsed; the message says the expected form and the known metrics."""


@dataclass(frozen=True)
class Gate:
    metric: str
    threshold: float
    kind: str  # "under": fail when value < threshold; "over": fail when value > threshold

    def check(self, metrics: dict[str, float | None]) -> dict:
        value = metrics.get(self.metric)
        if value is None:
            message = f"{self.metric} was not measured in this run, so the gate {self} cannot pass"
            return {"gate": str(self), "metric": self.metric, "value": None, "passed": False, "message": message}
        passed = value >= self.threshold if self.kind == "under" else value <= self.threshold
        relation = "below" if self.kind == "under" else "above"
        message = (f"{self.metric} = {value:.4g} passes the gate {self}" if passed
                   else f"{self.metric} = {value:.4g} is {relation} the required {self.threshold:g} ({self})")
        return {"gate": str(self), "metric": self.metric, "value": value, "threshold": self.threshold,
                "passed": passed, "message": message}

    def __str__(self) -> str:
        return f"--fail-{self.kind} {self.metric}={self.threshold:g}"


def parse_gate(text: str, kind: str = "under") -> Gate:
    """'ndcg@10=0.8' -> Gate; unknown metrics and malformed values raise GateError saying what to write."""
    name, sep, value = text.partition("=")
    name = name.strip().lower()
    if not sep or not name or not value.strip():
        raise GateError(f"gate {text!r} should look like METRIC=VALUE, e.g. ndcg@10=0.8")
    if name not in METRICS:
        raise GateError(f"unknown metric {name!r} in gate {text!r}; known metrics: {', '.join(METRICS)}")
    try:
        threshold = float(value)
    except ValueError:
        raise GateError(f"gate {text!r}: {value.strip()!r} is not a number") from None
    return Gate(name, threshold, kind)


def check_gates(gates: list[Gate], metrics: dict[str, float | None]) -> list[dict]:
    return [g.check(metrics) for g in gates]
