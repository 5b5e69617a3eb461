# Multi-stage build: NHS.UK frontend assets from npm, then a slim Python image that serves them.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/copy_nhsuk_assets.sh scripts/
RUN mkdir -p static && ./scripts/copy_nhsuk_assets.sh

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango; curl is for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=portal:portal . .
COPY --from=assets --chown=portal:portal /build/static/vendor static/vendor
RUN DEBUG=false SECRET_KEY=build-only STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input \
 && mkdir -p /app/var && chown -R portal:portal /app/var /app/staticfiles
USER portal
EXPOSE 8000
# The same start commands as `make run` and CI: gunicorn for the web, celery worker and beat.
CMD ["gunicorn", "coproduction.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
