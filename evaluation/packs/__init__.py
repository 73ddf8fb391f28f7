"""Decision packs: the PDF record of a decided business case, for elected members and the file.

- `content`: everything a pack says, gathered from the database into plain dataclasses, as the
  case stood when the pack was requested (so a version can be rendered again, byte for byte).
- `render`: the HTML from templates/evaluation/pack/ and the tagged PDF (WeasyPrint, PDF/UA-1),
  through one URL fetcher that serves only data: URLs and the project's own static files.
- `charts`: the financial comparison as an SVG bar chart with its text alternative.
- `versions`: asking for a new version, and the states of a render (queued, rendering, ready,
  failed) moved by guarded updates, so that a redelivered task does no harm.
- `files`: where a pack's PDF is kept, and the one response that sends it.

Rendering happens in a Celery worker (evaluation.tasks.render_pack), never in a web request.
"""
