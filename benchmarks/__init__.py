"""Benchmarks (``make bench``): measured against a real gunicorn, never part of ``make test``.

``python -m benchmarks`` runs the live-voting benchmark (see
``benchmarks/votes.py``); ``python -m benchmarks.profile_votes`` profiles the vote and tally
endpoints in-process to show where their time goes. ``python -m benchmarks.pdf`` measures the
decision lists as PDF, ``python -m benchmarks.archive`` the decisions archive, its search and a
decision's page with ten thousand decisions under concurrent load.
"""
