"""What evaluation announces for other apps to act on (evaluation never imports members).

`pack_ready`: a decision pack has finished rendering and is ready to download. Sent on commit by
whatever renders packs (evaluation/packs/), with `pack_id` (evaluation.models.DecisionPack).
The members' area receives it to email the members who asked to hear (members/notifications.py).
"""

from django.dispatch import Signal

pack_ready = Signal()
