"""Which submitted cases an officer may read, and what a reviewer of a blind case may not see.

Commissioning officers, moderators and administrators read every submitted case. A reviewer
reads only the cases they are assigned to and have declared no interest in; before declaring they
see the case's reference and service, and nothing else (evaluation/admin/reviews.py).
"""

from accounts.roles import Role
from bids import workflow
from bids.models import BusinessCase

READ_ALL = workflow.MAY_ACT[workflow.Action.READ] - {Role.REVIEWER}


def reads_every_case(user) -> bool:
    return bool(workflow.officer_roles(user) & READ_ALL)


def readable_cases(user, cases=None):
    """The submitted cases `user` may read in full."""
    cases = BusinessCase.objects.all() if cases is None else cases
    if reads_every_case(user):
        return cases
    if Role.REVIEWER in workflow.officer_roles(user):
        return cases.filter(assignments__reviewer=user, assignments__has_interest=False)
    return cases.none()


def may_read(user, case: BusinessCase) -> bool:
    return readable_cases(user, BusinessCase.objects.filter(pk=case.pk)).exists()


def blind_for(user, case: BusinessCase) -> bool:
    """Whether `user` reads `case` blind: a reviewer (and nothing more) of a blind-review case."""
    return case.blind_review and not reads_every_case(user)
