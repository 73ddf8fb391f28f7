"""A criterion as scoring reads it: plain data, so the framework in the database stays out."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a framework: `key` names its rule in evaluation.scoring.rules.RULES."""

    key: str
    group: str  # "make_buy_sell" | "public_value"
    weight: Decimal
    threshold: int | None = None  # a score below it (0-5) disqualifies the bid
