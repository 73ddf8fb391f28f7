from rest_framework.permissions import BasePermission

from bids import workflow


class ReadsCases(BasePermission):
    """Officers whose role may read business cases (bids.workflow.MAY_ACT[READ]): commissioning
    officers, moderators, administrators and reviewers. Which cases each reads is the view's
    queryset (evaluation.review.access narrows reviewers to their cleared assignments). Anyone
    else, bidders and elected members included, is refused before any case is looked up, so an
    outsider learns nothing, not even whether a reference exists."""

    message = "Only council officers can read business cases."

    def has_permission(self, request, view):
        roles = workflow.officer_roles(request.user)
        return bool(roles & workflow.MAY_ACT[workflow.Action.READ])
