"""How a meeting's date or time is written for people, in the active language: the one
format of the public pages, the feedback form, the reply page, emails, the admin and the
dashboard ("2025년 9월 19일", "2025년 9월 19일 오후 2:00–4:00", "Sept. 19, 2025, 2:00–4:00 p.m.").

The order of a time and its 오전/오후 (a.m./p.m.) is the translation's: Korean puts it first.
"""

from django.utils import formats, timezone
from django.utils.translation import pgettext


def meeting_when(meeting) -> str:
    """All-day: its day, or its first and last day. Timed: its day once, then its start and
    end time; with the end's day too when it ends on another day (in Asia/Seoul)."""
    if meeting.all_day:
        first = formats.date_format(meeting.start_date, "DATE_FORMAT")
        last = meeting.end_date
        if last is None or last == meeting.start_date:
            return first
        return f"{first} – {formats.date_format(last, 'DATE_FORMAT')}"
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    if end.date() != start.date():
        return f"{moment(start)} – {moment(end)}"
    if _meridiem(start) == _meridiem(end):
        times = pgettext("a time range within a.m. or p.m.", "%(start)s–%(end)s %(meridiem)s") % {
            "start": _clock(start),
            "end": _clock(end),
            "meridiem": _meridiem(start),
        }
    else:
        times = f"{time_of_day(start)}–{time_of_day(end)}"
    return _on_day(start, times)


def moment(value) -> str:
    """A point in time: "2025년 9월 19일 오후 2:00", "Sept. 19, 2025, 2:00 p.m."."""
    value = timezone.localtime(value)
    return _on_day(value, time_of_day(value))


def time_of_day(value) -> str:
    """ "오후 2:00", "2:00 p.m."."""
    return pgettext("a time of day", "%(time)s %(meridiem)s") % {
        "time": _clock(value),
        "meridiem": _meridiem(value),
    }


def _on_day(value, times) -> str:
    return pgettext("a day and a time", "%(date)s, %(time)s") % {
        "date": formats.date_format(value, "DATE_FORMAT"),
        "time": times,
    }


def _clock(value) -> str:
    return formats.date_format(value, "g:i")


def _meridiem(value) -> str:
    return formats.date_format(value, "a")
