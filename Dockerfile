FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_DEBUG=0
WORKDIR /app

# postgresql-client: pg_dump and pg_restore for `manage.py backup` and `restore` (PostgreSQL 15).
RUN apt-get update && apt-get install -y --no-install-recommends procps gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs a key to import settings; the real one comes from the environment.
# The volumes' mount points exist, owned by the app's user, so that the volumes are too.
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --home /app roundtable \
    && mkdir -p /app/var/private /app/var/media /app/var/backups && chown -R roundtable /app/var
USER roundtable

EXPOSE 8000
CMD ["gunicorn", "roundtable.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
