"""The default criteria framework, as plain data: what the database is seeded with.

Weights add up to 100 so each reads as a share of the total: 60 for make / buy / sell, 40 for
public value. 36 of the 100 turn on price (term cost 15, whole-life cost 15, the five Cs' cost 6):
tenders are judged with wider public value in mind, not price alone.
"""

from decimal import Decimal

from evaluation.scoring.spec import CriterionSpec

MBS, PV = "make_buy_sell", "public_value"

DEFAULT_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec("term_cost", MBS, Decimal(15), None),
    CriterionSpec("whole_life_cost", MBS, Decimal(15), None),
    CriterionSpec("trading_income", MBS, Decimal(10), None),
    CriterionSpec("deliverability", MBS, Decimal(10), 2),
    CriterionSpec("risk", MBS, Decimal(10), 1),
    CriterionSpec("customer", PV, Decimal(6), None),
    CriterionSpec("communities", PV, Decimal(6), None),
    CriterionSpec("clout", PV, Decimal(6), None),
    CriterionSpec("cost", PV, Decimal(6), None),
    CriterionSpec("capabilities", PV, Decimal(6), None),
    CriterionSpec("social_value", PV, Decimal(10), None),
)

_SAVING = (
    "15% or more scores 5; 10% to under 15% scores 4; 5% to under 10% scores 3; 2.5% to under "
    "5% scores 2; 0.1% to under 2.5% scores 1; no saving scores 0. A bid for part of a service "
    "scores at most 3, because the net budget is the whole service's."
)

DEFAULT_TITLES: dict[str, tuple[str, str]] = {
    "term_cost": (
        "Cost to KCC over the term",
        "What KCC would pay over the term (every yearly price, the transition costs and any Big "
        "Society Fund grant asked for) against the service's net budget for the same number of "
        f"years. The saving, as a percentage of the net budget over the term: {_SAVING}",
    ),
    "whole_life_cost": (
        "Whole-life cost (net present value)",
        "The same comparison in today's money, as HM Treasury's Green Book asks: each year's price "
        "and each year's net budget is discounted at 3.5% a year from year 1; transition costs "
        f"and grant are paid at the start and not discounted. The present-value saving: {_SAVING}",
    ),
    "trading_income": (
        "Income and trading potential",
        "Income a year from customers other than KCC, as a share of the average yearly price to "
        "KCC: 50% or more scores 5; 25% to under 50% scores 4; 10% to under 25% scores 3; 5% to "
        "under 10% scores 2; 0.1% to under 5% scores 1; none scores 0. A score of 4 or 5 is the "
        "signal that the service could be sold to others.",
    ),
    "deliverability": (
        "Deliverability and financial standing",
        "Points against the largest yearly price: working capital covering 3 months' price or more "
        "2 (1 month to under 3 months 1); turnover (the bidder's and any consortium members') at "
        "least twice the yearly price 2 (once to under twice 1); reserves at least 10% of the "
        "yearly price 1; minus 1 if a consortium member or sub-contractor has no reserves. At most "
        "5.",
    ),
    "risk": (
        "Risk",
        "Starts at 5. Staff transferring without the Local Government Pension Scheme or a "
        "broadly comparable scheme scores 0. Otherwise minus 1 if staff transfer under TUPE, "
        "minus 1 more if their pensions rely on a broadly comparable scheme, minus 2 for a "
        "declared risk of high likelihood and high impact (minus 1 for high and medium), minus 1 "
        "if no risks are declared, minus 1 if delivery relies on a single sub-contractor as big "
        "as the bidder or bigger.",
    ),
    "customer": (
        "Customer",
        "Key performance indicators with targets reported to KCC 3; running the whole service, so "
        "one provider answers for the whole of a user's experience, 1. The machine gives at most "
        "4: officers read what the bid says about experience, access and satisfaction.",
    ),
    "communities": (
        "Communities",
        "A community or staff-owned delivery model (management buyout, public-service "
        "co-operative, mutual, social enterprise) 2; volunteering hours a year: 2,000 or more 3, "
        "500 to 1,999 2, 1 to 499 1.",
    ),
    "clout": (
        "Clout",
        "Jobs for Kent residents per £1m of the average yearly price: 10 or more 2, fewer 1, none "
        "0; share of spend with Kent small businesses and voluntary groups: 50% or more 3, 25% "
        "to under 50% 2, 10% to under 25% 1.",
    ),
    "cost": (
        "Cost",
        "The saving KCC's budget keeps every year once the term ends: the price in the last year "
        f"of the term against the net budget for a year. {_SAVING}",
    ),
    "capabilities": (
        "Capabilities",
        "Apprenticeships over the term per £1m of the average yearly price: 2 or more 3, 1 to "
        "under 2 2, fewer 1, none 0; staff transferring and keeping the Local Government Pension "
        "Scheme 2, or with a broadly comparable scheme 1.",
    ),
    "social_value": (
        "Social value",
        "One point each for jobs for Kent residents, apprenticeships and volunteering; share of "
        "spend with Kent small businesses and voluntary groups: 50% or more 2, 25% to under 50% "
        "1. Officers read what the bid says about environmental well-being.",
    ),
}
