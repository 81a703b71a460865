# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=bapas.settings.prod

# Pango for WeasyPrint (PDF), fonts with Indonesian coverage, gettext for compiled messages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py compilemessages --ignore=.venv \
    && useradd --system --uid 1000 bapas && mkdir -p /app/var && chown -R bapas /app/var
USER bapas
EXPOSE 8000
CMD ["gunicorn", "bapas.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
