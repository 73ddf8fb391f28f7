"""The officers' admin for evaluation: frameworks and the machine's assessments
(`assessments`), the case page with screening, assignment, moderation and decision (`cases`),
reviewers' assignments, declarations and reviews, which are also the conflicts register
(`reviews`), and the decision packs (`packs`)."""

from evaluation.admin import assessments, cases, packs, reviews  # noqa: F401 - registers the admins
