"""Figures that tests measure (requests tried, unexpected successes, 5xx, writes lost), printed
at the end of the run so CI's log shows them, not only a pass."""

from __future__ import annotations

FIGURES: list[tuple[str, str]] = []


def report_figure(test: str, text: str) -> None:
    """Remember one line of figures for the run's summary."""
    FIGURES.append((test, text))
