"""Automatic scoring of a business case: make / buy / sell and public value.

Pure functions of a case's figures (evaluation.figures.Figures) and a framework's criteria
(CriterionSpec): no database, no Django models, Decimal for money. docs/scoring.md is the stated
method, in words for bidders and officers.

    from evaluation.scoring import assess, DEFAULT_CRITERIA
    result = assess(figures, DEFAULT_CRITERIA)
    result.recommendation, result.total, result.reasons

The package: `rules` (one rule per criterion), `engine` (weights, thresholds, recommendation),
`defaults` (the seeded framework), `money` (present values and how figures are shown).
"""

from evaluation.scoring.defaults import DEFAULT_CRITERIA, DEFAULT_TITLES
from evaluation.scoring.engine import (
    BUY,
    DELIVERABLE,
    ENGINE_VERSION,
    MAKE,
    PASS_MARK,
    SELL,
    SELL_SIGNAL,
    Assessment,
    CriterionScore,
    Evaluation,
    assess,
    check,
    evaluate,
    failed_thresholds,
    recommend,
    weighted_total,
)
from evaluation.scoring.spec import CriterionSpec

__all__ = [
    "BUY",
    "DEFAULT_CRITERIA",
    "DEFAULT_TITLES",
    "DELIVERABLE",
    "ENGINE_VERSION",
    "MAKE",
    "PASS_MARK",
    "SELL",
    "SELL_SIGNAL",
    "Assessment",
    "CriterionScore",
    "CriterionSpec",
    "Evaluation",
    "assess",
    "check",
    "evaluate",
    "failed_thresholds",
    "recommend",
    "weighted_total",
]
