import os

import click
from celery import Celery, bootsteps
from celery.beat import EmbeddedService

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")

app = Celery("roundtable")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class BeatThread(bootsteps.StartStopStep):
    """`worker --beat-thread`: beat inside the worker, in a thread. `make run` uses it so that
    the embedded set-up has one Celery process, not three (the worker's `-B` forks beat into a
    process of its own, which costs as much memory as the worker). Deployments run beat apart."""

    def __init__(self, worker, beat_thread=False, **kwargs):
        self.enabled = beat_thread
        self.service = None

    def start(self, worker):
        # The scheduler as `celery beat` would choose it (the database's schedule), which the
        # embedded service does not look up by itself.
        self.service = EmbeddedService(
            worker.app, thread=True, scheduler_cls=worker.app.conf.beat_scheduler
        )
        self.service.start()

    def stop(self, worker):
        if self.service is not None:
            self.service.stop()


app.user_options["worker"].add(
    click.Option(["--beat-thread"], is_flag=True, default=False, help="Run beat in a thread.")
)
app.steps["worker"].add(BeatThread)
