# The cdp service image: production mode, a non-root user, dependencies exactly as
# locked (requirements.lock, hashes checked; no embedded PostgreSQL: point
# CDP_DATABASE_URL at a server). docker-compose.yml runs it next to PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY cdp cdp
COPY schema schema
COPY tagging tagging
COPY graph graph
COPY policies policies
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent cdp

# Production unless told otherwise: no GraphiQL, no introspection, no suggestions.
# The data directory holds nothing the service needs (no embedded database, and
# CDP_ENCRYPTION_KEY must be given), only rejects files of imports run here.
ENV CDP_ENV=production \
    CDP_HOST=0.0.0.0 \
    CDP_PORT=8000 \
    CDP_DATA_DIR=/tmp/cdp

USER cdp
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["cdp", "serve"]
