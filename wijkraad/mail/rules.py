"""Pure rules of the outbox: when a failed message is tried again, and when it is given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class MailStatus(StrEnum):
    QUEUED = "queued"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender; back to queued, or sent, or failed
    SENT = "sent"
    FAILED = "failed"  # given up after the last attempt; an administrator may retry it


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    first_delay_seconds: int = 60  # then 2, 4, 8 ... minutes
    max_delay_seconds: int = 6 * 3600
    # A message claimed this long ago whose sender never reported back (it crashed, or its
    # server went away mid-send) is claimed again; so a message is sent at least once.
    lease_seconds: int = 10 * 60

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt: doubling, capped."""
        seconds = self.first_delay_seconds * 2 ** min(max(attempts - 1, 0), 30)
        return timedelta(seconds=min(seconds, self.max_delay_seconds))

    def after_failure(self, attempts: int, now: datetime) -> tuple[MailStatus, datetime]:
        """The status and next attempt time of a message whose ``attempts``-th attempt failed."""
        if attempts >= self.max_attempts:
            return MailStatus.FAILED, now
        return MailStatus.QUEUED, now + self.delay(attempts)

    def lease_ended(self, now: datetime) -> datetime:
        """A claim made before this has lapsed."""
        return now - timedelta(seconds=self.lease_seconds)
