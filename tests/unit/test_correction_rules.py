"""The pure rules of corrections and the gavel: until when a meeting can be corrected, and
where a formality item stands for the chair's gavel."""

from __future__ import annotations

import pytest

from wijkraad.meetings import corrections
from wijkraad.meetings.models import Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions.rules import FormalityState, MotionStatus, formality_state

S = MotionStatus


@pytest.mark.parametrize(
    ("status", "problem"),
    [
        (MeetingStatus.DRAFT, None),
        (MeetingStatus.PUBLISHED, None),
        (MeetingStatus.OPEN, "meeting-not-correctable"),
        (MeetingStatus.CLOSED, "meeting-closed"),
        (MeetingStatus.CANCELLED, "meeting-closed"),
    ],
)
def test_a_meeting_is_corrected_until_it_opens(status, problem):
    assert corrections.correction_problem(Meeting(status=status)) == problem


@pytest.mark.parametrize(
    ("motions", "state"),
    [
        ([], FormalityState.GAVEL),
        ([(S.DRAFT, False)], FormalityState.GAVEL),  # a draft is nobody's motion yet
        ([(S.WITHDRAWN, False)], FormalityState.GAVEL),
        ([(S.DRAFT, True)], FormalityState.GAVEL),
        ([(S.SUBMITTED, False)], FormalityState.MOTION),
        ([(S.SCHEDULED, False)], FormalityState.MOTION),
        ([(S.SUBMITTED, True)], FormalityState.ASKED),
        ([(S.VOTING, True)], FormalityState.ASKED),
        ([(S.SUBMITTED, False), (S.SUBMITTED, True)], FormalityState.ASKED),
        ([(S.ADOPTED, False)], FormalityState.DECIDED),
        ([(S.REJECTED, True)], FormalityState.DECIDED),
        ([(S.ADOPTED, False), (S.SUBMITTED, True)], FormalityState.DECIDED),
    ],
)
def test_where_a_formality_stands(motions, state):
    assert formality_state(motions) is state
