"""Drawing residents by lot, verifiably: the pure procedure (``procedure``) and the public
record of a draw with its verification (``record``); pools, draws, invitations and the resident
panel in the database (``models``, ``services``, ``replies``, ``queries``) and on the pages."""
