"""Microseconds per case for pure scoring: `assess()` alone, no database, no queue.

bench/scoring.py calls `microseconds_per_case()` beside its end-to-end worker rate. Run alone:
    .venv/bin/python -m bench.scoring_pure
Prints nothing when imported.
"""

import random
import time
from decimal import Decimal

from evaluation.figures import Figures, Partner, Risk
from evaluation.scoring import DEFAULT_CRITERIA, assess

MODELS = ("management_buyout", "cooperative", "mutual", "social_enterprise", "trading_company")
LEVELS = ("low", "medium", "high")


def generated_figures(n: int, *, seed: int = 0) -> list[Figures]:
    """`n` plausible business cases for services of £0.3m to £21m a year (the demo catalogue's
    range), each bid within 20% either side of the net budget."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security

    def pounds(low: int, high: int) -> Decimal:
        return Decimal(rng.randint(low * 100, high * 100)) / 100

    cases = []
    for _ in range(n):
        net = pounds(300_000, 21_000_000)
        term = rng.randint(1, 10)
        price = net * Decimal(rng.randint(80, 120)) / 100
        cases.append(
            Figures(
                net_budget=net,
                gross_budget=net * Decimal("1.1"),
                scope=rng.choice(("whole", "part")),
                delivery_model=rng.choice(MODELS),
                term_years=term,
                yearly_prices=tuple(
                    (price * Decimal(rng.randint(95, 105)) / 100).quantize(Decimal("0.01"))
                    for _ in range(term)
                ),
                transition_costs=pounds(0, 500_000),
                investment=pounds(0, 500_000),
                external_income=price * Decimal(rng.randint(0, 60)) / 100,
                grant=pounds(0, 100_000),
                working_capital=price * Decimal(rng.randint(0, 50)) / 100,
                bidder_turnover=rng.choice((None, price * rng.randint(0, 4))),
                bidder_reserves=rng.choice((None, price * Decimal(rng.randint(0, 30)) / 100)),
                staff_transferring=rng.randint(0, 200),
                pensions=rng.choice(("lgps", "comparable")),
                has_kpis=True,
                partners=tuple(
                    Partner(
                        rng.choice(("consortium", "subcontractor")),
                        pounds(0, 9_000_000),
                        pounds(0, 1_000_000),
                    )
                    for _ in range(rng.randint(0, 3))
                ),
                local_jobs=rng.randint(0, 300),
                apprenticeships=rng.randint(0, 30),
                volunteering_hours=rng.randint(0, 5000),
                kent_spend_percent=rng.randint(0, 100),
                risks=tuple(
                    Risk(rng.choice(LEVELS), rng.choice(LEVELS)) for _ in range(rng.randint(1, 5))
                ),
            )
        )
    return cases


def microseconds_per_case(n: int = 5000, *, seed: int = 0) -> float:
    """Times `assess()` against the default framework over `n` generated cases (their making is
    not timed) and returns microseconds per case."""
    cases = generated_figures(n, seed=seed)
    for figures in cases[:50]:  # warm up: imports, caches
        assess(figures, DEFAULT_CRITERIA)
    start = time.perf_counter()
    for figures in cases:
        assess(figures, DEFAULT_CRITERIA)
    return (time.perf_counter() - start) * 1_000_000 / n


if __name__ == "__main__":
    print(f"pure scoring: {microseconds_per_case():.1f} microseconds a case")
