# The sohoa worker image for docker-compose.yml: Debian packages + the project.
FROM python:3.11-slim-bookworm
WORKDIR /app
COPY scripts/install-system.sh scripts/
RUN bash scripts/install-system.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN pip install --no-cache-dir -c constraints.txt -e . prefect-dask
ENV OMP_THREAD_LIMIT=1
