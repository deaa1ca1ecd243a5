"""Office hours: when advisors answer, and when the next opening is.

``SANAD_OFFICE_HOURS`` is ``<first day>-<last day> HH:MM-HH:MM`` with ISO day
numbers (1 = Monday), default ``1-5 09:00-18:00``, in ``SANAD_TIMEZONE``
(default Africa/Casablanca).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PATTERN = re.compile(r"\s*([1-7])-([1-7])\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*")


@dataclass(frozen=True)
class OfficeHours:
    first_day: int
    last_day: int
    opens: dt.time
    closes: dt.time  # 24:00 is stored as time.max
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, timezone: str) -> OfficeHours:
        match = PATTERN.fullmatch(spec)
        if not match:
            raise ValueError(f"SANAD_OFFICE_HOURS: expected like '1-5 09:00-18:00', got {spec!r}")
        first, last, oh, om, ch, cm = (int(g) for g in match.groups())
        closes = dt.time.max if (ch, cm) == (24, 0) else dt.time(ch, cm)
        return cls(first, last, dt.time(oh, om), closes, ZoneInfo(timezone))

    def is_open(self, at: dt.datetime) -> bool:
        """Whether ``at`` (aware, or naive UTC) falls in office hours."""
        local = self._local(at)
        return self.first_day <= local.isoweekday() <= self.last_day and self.opens <= local.time() < self.closes

    def next_opening(self, at: dt.datetime) -> dt.datetime:
        """The next time advisors are in (local time), ``at`` itself if they are."""
        local = self._local(at)
        if self.is_open(local):
            return local
        day = local.date()
        for offset in range(8):
            candidate = dt.datetime.combine(day + dt.timedelta(days=offset), self.opens, self.zone)
            if candidate > local and self.first_day <= candidate.isoweekday() <= self.last_day:
                return candidate
        raise ValueError("office hours name no day")  # unreachable with a valid spec

    def _local(self, at: dt.datetime) -> dt.datetime:
        return (at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)).astimezone(self.zone)
