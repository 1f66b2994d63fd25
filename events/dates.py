"""How a meeting's date or time is written for people, in the active language: the one
format of the public pages, the feedback form, the reply page, emails, the admin and the
dashboard ("2025년 9월 19일", "2026년 3월 9일 오후 2:00 – 오후 5:00")."""

from django.utils import formats, timezone


def meeting_when(meeting) -> str:
    """All-day: its day, or its first and last day. Timed: its start and its end time, with
    the end's day when it ends on another day (in Asia/Seoul)."""
    if meeting.all_day:
        first = formats.date_format(meeting.start_date, "DATE_FORMAT")
        last = meeting.end_date
        if last is None or last == meeting.start_date:
            return first
        return f"{first} – {formats.date_format(last, 'DATE_FORMAT')}"
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    if end.date() == start.date():
        until = formats.time_format(end, "TIME_FORMAT")
    else:
        until = formats.date_format(end, "DATETIME_FORMAT")
    return f"{formats.date_format(start, 'DATETIME_FORMAT')} – {until}"
