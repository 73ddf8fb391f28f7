"""The bidder's pages. Views only speak HTTP: the work is in sections, documents and workflow.

Every case URL looks the case up among those of the user's own organisation, so anyone else,
whatever the URL, gets 404.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bids import clarifications, documents, downloads, finance, sections, workflow
from bids.forms import AnswerForm, UploadForm, WithdrawForm
from bids.models import BusinessCase, Clarification, Document, Event, Status
from kcc_portal import ratelimits
from kcc_portal.text import removed_message
from services.models import Service

PENDING_POST = "bids:pending-post"


def signed_in_keeping_answers(view):
    """Like login_required, but a form posted after the session expired is kept in the new
    session and put back into the draft once the bidder signs in again, so it is not lost."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            request.session[PENDING_POST] = {
                "path": request.path,
                "data": sections.from_post(request.POST),
            }
        return redirect_to_login(request.path)

    return wrapper


def get_case(request, public_id) -> BusinessCase:
    cases = BusinessCase.objects.visible_to(request.user).select_related("service", "organisation")
    return get_object_or_404(cases, public_id=public_id)


def editable_case(request, public_id) -> BusinessCase:
    case = get_case(request, public_id)
    if not workflow.can_edit(case, request.user):
        raise Http404("Only a draft can be changed")
    return case


@signed_in_keeping_answers
def case_list(request):
    cases = (
        BusinessCase.objects.visible_to(request.user)
        .select_related("service")
        .defer("answers", "record")  # the list shows neither
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(cases, settings.CASES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "bids/case_list.html",
        {
            "cases": page.object_list,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "organisation": request.user.organisation,
        },
    )


@signed_in_keeping_answers
@require_http_methods(["GET", "POST"])
def start(request, slug):
    service = get_object_or_404(Service.objects.select_related("directorate"), slug=slug)
    if request.user.organisation_id is None:
        messages.info(request, "Tell us about your organisation before you start a business case.")
        return redirect(f"{reverse('accounts:organisation')}?next={request.path}")
    if request.method == "POST":
        try:
            case = workflow.start(service=service, by=request.user)
        except workflow.WorkflowError as e:
            messages.error(request, str(e))
            return redirect(service)
        return redirect(case)
    return render(request, "bids/start.html", {"service": service})


@signed_in_keeping_answers
def detail(request, public_id):
    case = get_case(request, public_id)
    if case.is_draft:
        section_states = sections.states(case)
        return render(
            request,
            "bids/task_list.html",
            {
                "case": case,
                "sections": section_states,
                "documents": case.documents.all(),
                "incomplete": sections.incomplete(case, section_states),
            },
        )
    return render(
        request,
        "bids/case_detail.html",
        {
            "case": case,
            "events": case.events.filter(kind__in=Event.BIDDER_SEES).select_related("actor"),
            "clarifications": case.clarifications.all(),
            "documents": case.documents.all(),
            "can_withdraw": case.status in workflow.OPEN,
            "under_consideration": case.status in workflow.UNDER_CONSIDERATION,
        },
    )


def _restore_pending_post(request, case, section) -> bool:
    """Puts back what was posted when the session had expired (see signed_in_keeping_answers)."""
    pending = request.session.get(PENDING_POST)
    if not pending or pending["path"] != request.path:
        return False
    del request.session[PENDING_POST]
    removed = sections.save_draft(case=case, key=section.key, data=pending["data"], checked=False)
    if removed:
        messages.warning(request, f"{section.title}: {removed_message(removed)}")
    return True


@signed_in_keeping_answers
@require_http_methods(["GET", "POST"])
def section(request, public_id, key):
    case = editable_case(request, public_id)
    section = sections.BY_KEY.get(key) or _not_found()
    if request.method == "POST":
        data = sections.from_post(request.POST)
        action = request.POST.get("action", "continue")
        if action == "add" and not issubclass(section.form_class, sections.Repeating):
            action = "later"  # only a repeating section has an "Add another" button
        if action == "add":
            data = _add_item(data, section)
        try:
            removed = sections.save_draft(
                case=case, key=section.key, data=data, checked=action == "continue"
            )
        except sections.NotADraft:
            messages.error(request, "This business case has been submitted: it cannot change.")
            return redirect(case)
        if removed:
            messages.warning(request, f"{section.title}: {removed_message(removed)}")
        form = section.form(case)
        if action == "continue" and form.is_valid():
            messages.success(request, f"{section.title}: saved")
            return redirect(case)
        if action == "later":
            messages.success(request, f"{section.title}: your answers are saved as a draft")
            return redirect(case)
        if action == "add":
            return redirect(f"{request.path}#{section.form_class.prefix}-end")
    else:
        if _restore_pending_post(request, case, section):
            messages.info(
                request,
                "You were signed out before your answers were saved. We have kept what you "
                "typed: check it, then save.",
            )
        form = section.form(case)
    errors = sections.section_errors(form) if form.is_bound and form.show_errors else []
    return render(
        request,
        "bids/section.html",
        {
            "case": case,
            "section": section,
            "form": form,
            "errors": errors,
            "summary": finance.summary(case=case, form=form) if key == "finance" else None,
        },
    )


def _not_found():
    raise Http404("No such section")


def _add_item(data: dict, section) -> dict:
    """One more empty item in a repeating section (the "Add another" button without JavaScript)."""
    prefix = section.form_class.prefix
    total_key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(total_key, ["0"])[0])
    except ValueError:
        total = 0
    # No further than the most allowed (and never a number too big to print).
    total = max(0, min(total + 1, section.form_class.max_items))
    return {**data, total_key: [str(total)]}


@signed_in_keeping_answers
@require_POST
@ratelimits.limit("autosave")
def autosave(request, public_id, key):
    """Saves a section as typed, without validating it: called by the page's script."""
    case = get_case(request, public_id)
    if not workflow.can_edit(case, request.user):
        return JsonResponse(
            {"saved": False, "error": "This business case can no longer be changed."}, status=409
        )
    section = sections.BY_KEY.get(key) or _not_found()
    try:
        removed = sections.save_draft(
            case=case, key=section.key, data=sections.from_post(request.POST), checked=False
        )
    except sections.NotADraft:
        return JsonResponse(
            {"saved": False, "error": "This business case can no longer be changed."}, status=409
        )
    body = {"saved": True, "at": timezone.localtime().strftime("%H:%M:%S"), "removed": removed}
    if removed:
        body["message"] = removed_message(removed)
    if key == "finance":
        body["summary_html"] = render_to_string(
            "bids/_finance_summary.html",
            {"summary": finance.summary(case=case, form=section.form(case))},
        )
    return JsonResponse(body)


@signed_in_keeping_answers
@require_http_methods(["GET", "POST"])
@ratelimits.limit("upload")
def document_list(request, public_id):
    case = get_case(request, public_id)
    form = UploadForm()
    if request.method == "POST":
        if not workflow.can_edit(case, request.user):
            raise Http404("Only a draft can be changed")
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = documents.add(
                    case=case, upload=form.cleaned_data["file"], by=request.user
                )
            except documents.DocumentError as e:
                form.add_error("file", str(e))
            else:
                if request.headers.get("Accept") == "application/json":
                    return JsonResponse({"name": document.name, "url": document.get_absolute_url()})
                messages.success(request, f"{document.name} uploaded")
                return redirect("bids:documents", public_id=case.public_id)
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"errors": form.errors.get("file", [])}, status=400)
    return render(
        request,
        "bids/documents.html",
        {
            "case": case,
            "form": form,
            "documents": case.documents.select_related("uploaded_by"),
            "limits": documents.limits(),
            "editable": workflow.can_edit(case, request.user),
        },
    )


@signed_in_keeping_answers
def document_download(request, public_id, document_id):
    case = get_case(request, public_id)
    document = get_object_or_404(Document, case=case, public_id=document_id)
    return downloads.document_response(document)


@signed_in_keeping_answers
@require_POST
def document_remove(request, public_id, document_id):
    case = editable_case(request, public_id)
    document = get_object_or_404(Document, case=case, public_id=document_id)
    documents.remove(document=document, by=request.user)
    messages.success(request, f"{document.name} removed")
    return redirect("bids:documents", public_id=case.public_id)


@signed_in_keeping_answers
def check_answers(request, public_id):
    case = editable_case(request, public_id)
    answers = [(s, s.form(case, show_errors=False)) for s in sections.SECTIONS]
    return render(
        request,
        "bids/check_answers.html",
        {
            "case": case,
            "answers": answers,
            # The forms keep their validation, so each section is validated once.
            "incomplete": [section for section, form in answers if not form.is_valid()],
            "documents": case.documents.all(),
        },
    )


@signed_in_keeping_answers
@require_POST
def submit(request, public_id):
    case = get_case(request, public_id)
    try:
        workflow.submit(case=case, by=request.user)
    except workflow.WorkflowError as e:
        if case.status != Status.DRAFT:  # submitted already (another tab): show where it stands
            return redirect("bids:submitted", public_id=case.public_id)
        messages.error(request, str(e))
        return redirect("bids:check", public_id=case.public_id)
    return redirect("bids:submitted", public_id=case.public_id)


@signed_in_keeping_answers
def submitted(request, public_id):
    case = get_case(request, public_id)
    if case.is_draft:
        return redirect(case)
    return render(request, "bids/submitted.html", {"case": case})


def _tell_if_removed(request, form) -> None:
    """A notice when control characters were removed from what the form stored."""
    if form.control_characters_removed:
        messages.warning(request, removed_message(form.control_characters_removed))


@signed_in_keeping_answers
@require_http_methods(["GET", "POST"])
def withdraw(request, public_id):
    case = get_case(request, public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.withdraw(case=case, by=request.user, reason=form.cleaned_data["reason"])
        except workflow.WorkflowError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, "Your business case has been withdrawn")
            _tell_if_removed(request, form)
        return redirect(case)
    return render(request, "bids/withdraw.html", {"case": case, "form": form})


@signed_in_keeping_answers
@require_http_methods(["GET", "POST"])
def answer_clarification(request, public_id, pk):
    case = get_case(request, public_id)
    clarification = get_object_or_404(Clarification, case=case, pk=pk)
    form = AnswerForm(request.POST or None, instance=clarification)
    if request.method == "POST" and form.is_valid():
        try:
            clarifications.answer(
                clarification=clarification, text=form.cleaned_data["answer"], by=request.user
            )
        except clarifications.ClarificationError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, "Your answer has been sent")
            _tell_if_removed(request, form)
        return redirect(case)
    return render(
        request,
        "bids/clarification.html",
        {"case": case, "clarification": clarification, "form": form},
    )
