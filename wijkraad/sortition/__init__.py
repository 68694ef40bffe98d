"""Drawing residents by lot, verifiably: the pure procedure (``procedure``) and the public
record of a draw with its verification (``record``)."""
