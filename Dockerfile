# One image for every Switchboard service; docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    PATH=/opt/venv/bin:$PATH

RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY schemas ./schemas
COPY services ./services
COPY deploy/config ./deploy/config
RUN uv sync --locked --no-dev

RUN useradd --system --uid 10001 switchboard && mkdir -p /data && chown switchboard /data
USER switchboard
ENV SWITCHBOARD_DATA_DIR=/data \
    SWITCHBOARD_REGISTRY_PATH=/app/deploy/config/channels.yaml
ENTRYPOINT ["switchboard"]
