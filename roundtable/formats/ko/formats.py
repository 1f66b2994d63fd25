"""Korean formats as Django's, with a date and time written as Koreans write it: 오전/오후
before the time ("2025년 9월 19일 오후 2:00", not Django's "… 2:00 오후"), as events.dates does."""

from django.conf.locale.ko.formats import *  # noqa: F403

DATETIME_FORMAT = "Y년 n월 j일 A g:i"
