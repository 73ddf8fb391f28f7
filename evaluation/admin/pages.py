"""The officers' own pages inside the admin (screening, moderation, a review...): rendered with
the admin's header, sidebar and breadcrumbs, from templates/admin/evaluation/."""

from django.template.response import TemplateResponse


class OwnPages:
    def render_page(self, request, template: str, *, original, **context) -> TemplateResponse:
        return TemplateResponse(
            request,
            f"admin/evaluation/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": original,
                **context,
            },
        )
