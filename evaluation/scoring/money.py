"""Money, percentages and present values for scoring: Decimal throughout, never floats.

Percentages are worked out to one decimal place (half up) before they are compared with a band,
so the figure a bidder reads ("5.0%") is the figure that was scored.
"""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
MILLION = Decimal(1_000_000)
PENNY = Decimal("0.01")
TENTH = Decimal("0.1")

# HM Treasury Green Book: the social time preference rate, 3.5% a year in real terms for the
# first 30 years (longer than any term a bid may have).
DISCOUNT_RATE = Decimal("0.035")
RATE_SHOWN = f"{(DISCOUNT_RATE * HUNDRED).normalize()}%"


def pounds(amount: Decimal) -> str:
    """£6,600,000 — to the nearest pound, which is how the assessment is read."""
    whole = amount.quantize(ONE, ROUND_HALF_UP)
    sign = "-" if whole < 0 else ""
    return f"{sign}£{abs(whole):,}"


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """`part` as a percentage of `whole`, to one decimal place (half up). `whole` must not be 0."""
    value = (HUNDRED * part / whole).quantize(TENTH, ROUND_HALF_UP)
    return value + 0  # turns -0.0 into 0.0


def show_percent(value: Decimal) -> str:
    return f"{value}%"


def one_place(value: Decimal) -> str:
    """A ratio to show, to one decimal place, rounded half up like everything else."""
    return str(value.quantize(TENTH, ROUND_HALF_UP))


def present_value(yearly: tuple[Decimal, ...], *, now: Decimal = ZERO) -> Decimal:
    """`now` (paid at the start, year 0) plus each year's amount discounted from year 1: the
    Green Book convention of costs falling at the end of each year. Rounded to the penny."""
    total = now + sum(
        (amount / (ONE + DISCOUNT_RATE) ** year for year, amount in enumerate(yearly, start=1)),
        ZERO,
    )
    return total.quantize(PENNY, ROUND_HALF_UP)
