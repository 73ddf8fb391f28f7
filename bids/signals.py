"""What the workflow announces, on commit, for other apps to act on (bids never imports evaluation).

Receivers get `case_id` (and for case_moved, `from_status` and `to_status`).
"""

from django.dispatch import Signal

case_submitted = Signal()
case_moved = Signal()
# The case's personal data was removed under the retention policy (bids/retention.py): whatever
# other apps made from it (decision packs) goes too.
case_anonymised = Signal()
