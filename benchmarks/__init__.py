"""Benchmarks (``make bench``): measured against a real gunicorn, never part of ``make test``.

``python -m benchmarks`` runs the live-voting benchmark (see
``benchmarks/votes.py``); ``python -m benchmarks.profile_votes`` profiles the vote and tally
endpoints in-process to show where their time goes.
"""
