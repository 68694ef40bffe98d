"""``make bench``: ``python -m benchmarks`` runs the live-voting benchmark (benchmarks/votes.py)."""

from benchmarks.votes import main

raise SystemExit(main())
