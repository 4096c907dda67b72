# Code-location image for Dagster on ECS (also runs the Spark engine locally: Java is included).
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless procps \
    && rm -rf /var/lib/apt/lists/*

ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    PYTHONUNBUFFERED=1 \
    PYSPARK_PYTHON=python3 \
    SPARK_LOCAL_IP=127.0.0.1 \
    DEJ_ENV=prod \
    DEJ_SKILLS_CATALOG=/opt/dagster/app/skills_catalog \
    DAGSTER_HOME=/opt/dagster/dagster_home

WORKDIR /opt/dagster/app
COPY pyproject.toml README.md workspace.yaml ./
COPY dej_platform ./dej_platform
COPY skills_catalog ./skills_catalog
COPY infra/glue ./infra/glue
COPY infra/dagster/dagster.yaml /opt/dagster/dagster_home/dagster.yaml
# Compile the numba kernels into the image (~40 s) so every worker starts warm.
RUN pip install --no-cache-dir . && python -m dej_platform.kernels

EXPOSE 4000
CMD ["dagster", "code-server", "start", "-h", "0.0.0.0", "-p", "4000", "-m", "dej_platform.definitions"]
