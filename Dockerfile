# The production image: gunicorn serving the catalogue, static files by whitenoise.
# Configure at run time with the variables in .env.example (DJANGO_SECRET_KEY and
# DATABASE_URL at least); docker-compose.yml shows a complete setup.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

WORKDIR /app

# Dependencies first, read from pyproject.toml, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself. Installed in place (-e): settings locate templates/, static/ and
# fixtures/ next to the package, so the code runs from /app.
COPY . .
RUN pip install --no-deps -e . \
    && DJANGO_SECRET_KEY=collectstatic-only-not-used-at-run-time python manage.py collectstatic --noinput -v 0 \
    && useradd --system --user-group --uid 10001 --create-home --home-dir /home/app app

USER app
EXPOSE 8000

# slim has no curl. The request names the first allowed host and says it came over
# HTTPS (as the TLS-terminating proxy would), so ALLOWED_HOSTS and SSL redirect let it through.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as u; h = os.environ.get('DJANGO_ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('*.') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"

# `make serve`, `make load` and .ci/run execute this very line (they read it from here): keep it on one line.
# Threaded workers (gthread), one process per core (WEB_CONCURRENCY) with 4 threads each: a page is mostly
# Python work, so more processes than cores only add switching, while the threads overlap database round
# trips and slow clients, and keep connections alive. --timeout is the worker's heartbeat, which a gthread
# worker keeps beating while a long CSV export streams (a sync worker would be killed mid-export).
# Workers are recycled after about 2,000 requests; the heartbeat file lives in memory (/dev/shm).
# Measured with `make load`: README "Under load".
CMD exec gunicorn config.wsgi --bind 0.0.0.0:${PORT:-8000} --workers ${WEB_CONCURRENCY:-2} --worker-class gthread --threads ${GUNICORN_THREADS:-4} --timeout 30 --graceful-timeout 30 --keep-alive 5 --max-requests 2000 --max-requests-jitter 200 --worker-tmp-dir /dev/shm --access-logfile -
