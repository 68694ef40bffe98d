"""Reads of motions for the meeting page, the motion form and the API, in a fixed number of
statements: the motions of a set of agenda items with their signers, amendments and earlier
versions, each relation loaded for all motions at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from wijkraad.motions.models import Motion, MotionSigner, MotionVersion


def motions_of_items(session: Session, item_ids: Sequence[int]) -> list[Motion]:
    """The motions on ``item_ids`` in order, with ``signers``, ``amendments`` and ``versions``
    loaded: four statements, also when there are no motions, so that a page takes as many
    statements for an empty meeting as for a full one."""
    motions = list(
        session.scalars(
            sa.select(Motion).where(Motion.agenda_item_id.in_(item_ids)).order_by(Motion.id)
        )
    )
    ids = [m.id for m in motions]
    signers: dict[int, list[MotionSigner]] = defaultdict(list)
    for signer in session.scalars(
        sa.select(MotionSigner).where(MotionSigner.motion_id.in_(ids)).order_by(MotionSigner.id)
    ):
        signers[signer.motion_id].append(signer)
    amendments: dict[int, list[Motion]] = defaultdict(list)
    for amendment in session.scalars(
        sa.select(Motion).where(Motion.amends_id.in_(ids)).order_by(Motion.id)
    ):
        amendments[amendment.amends_id].append(amendment)  # type: ignore[index]
    versions: dict[int, list[MotionVersion]] = defaultdict(list)
    for version in session.scalars(
        sa.select(MotionVersion).where(MotionVersion.motion_id.in_(ids)).order_by(MotionVersion.id)
    ):
        versions[version.motion_id].append(version)
    for motion in motions:
        set_committed_value(motion, "signers", signers[motion.id])
        set_committed_value(motion, "amendments", amendments[motion.id])
        set_committed_value(motion, "versions", versions[motion.id])
    return motions
