# check=skip=SecretsUsedInArgOrEnv
# (The SECRET_KEY build argument below is a throwaway value for collectstatic, never a secret.)
#
# One image for every process of a deployment: web (gunicorn, the default command), the
# Celery worker and beat, and the one-shot migrate. See docker-compose.yml and README.md.
FROM python:3.11-slim-bookworm

# PYTHONPATH: the code runs from /app (templates/ and static/ live next to it, and the
# settings derive BASE_DIR from their own path), not from the copy pip puts in site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=samordning.settings.production \
    WEB_CONCURRENCY=3

# The shared libraries WeasyPrint loads at run time (PDF_LIBS in the Makefile).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 samordning \
    && useradd --system --uid 10001 --gid samordning --home-dir /app --shell /usr/sbin/nologin samordning

WORKDIR /app

# The runtime dependencies first (only [project] dependencies: no dev or embedded extras), so
# that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Only what the application needs: never .env, .data/ (embedded database), .venv/ or .git/.
COPY manage.py ./
COPY samordning ./samordning
COPY apps ./apps
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# Static files are collected into the image (whitenoise serves them with hashed names). The
# production settings insist on these variables; these values exist only for this step.
ARG SECRET_KEY=collectstatic-only-not-a-secret
ARG ALLOWED_HOSTS=build.invalid
ARG DATABASE_URL=postgres://build@build.invalid:5432/build
RUN SECRET_KEY="$SECRET_KEY" ALLOWED_HOSTS="$ALLOWED_HOSTS" DATABASE_URL="$DATABASE_URL" \
        python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/.data/media \
    && chown samordning:samordning /app/.data /app/.data/media

USER samordning
EXPOSE 8000

# Workers: WEB_CONCURRENCY (gunicorn reads it). TLS ends at the reverse proxy in front.
CMD ["gunicorn", "samordning.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
