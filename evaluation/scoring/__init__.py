"""Automatic scoring of a business case: make / buy / sell and public value.

Pure functions of a case's figures (evaluation.figures.Figures) and a framework's criteria
(CriterionSpec): no database, no Django models, Decimal for money. docs/scoring.md is the stated
method, in words for bidders and officers.

    from evaluation.scoring import assess, DEFAULT_CRITERIA
    result = assess(figures, DEFAULT_CRITERIA)
    result.recommendation, result.total, result.reasons

    # officers' consensus scores, read by the same rules, to show beside the machine's:
    reading = read_scores(figures, DEFAULT_CRITERIA, {"term_cost": 4, ...})

The package: `rules` (one rule per criterion), `verdict` (the weighted total, thresholds and the
ordered make / buy / sell rules), `reasons` (the recommendation in words), `engine` (assessing
figures and reading officers' scores, both through `verdict` and `reasons`), `defaults` (the
seeded framework), `money` (present values and how figures are shown).
"""

from evaluation.scoring.defaults import DEFAULT_CRITERIA, DEFAULT_TITLES
from evaluation.scoring.engine import (
    ENGINE_VERSION,
    Assessment,
    CriterionScore,
    Evaluation,
    Reading,
    assess,
    check,
    evaluate,
    failed_thresholds,
    read_scores,
    recommend,
)
from evaluation.scoring.spec import CriterionSpec
from evaluation.scoring.verdict import (
    BUY,
    DELIVERABLE,
    MAKE,
    PASS_MARK,
    SELL,
    SELL_SIGNAL,
    STRONG_PUBLIC_VALUE,
    weighted_total,
)

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
    "STRONG_PUBLIC_VALUE",
    "Assessment",
    "CriterionScore",
    "CriterionSpec",
    "Evaluation",
    "Reading",
    "assess",
    "check",
    "evaluate",
    "failed_thresholds",
    "read_scores",
    "recommend",
    "weighted_total",
]
