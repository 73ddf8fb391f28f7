"""Officers' judgement of a business case, after the machine's: screening (`screening`),
reviewers and their declarations of interest (`assignments`), reviews (`reviews`), moderation
(`moderation`) and the decision (`decisions`).

Each module's functions are the one path for what they do: the admin's views call them, and they
check who is acting against bids.workflow's tables, move the case through bids.workflow, and put
what happened on the case's timeline.
"""
