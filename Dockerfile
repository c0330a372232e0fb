# One image for the gateway and every service; each Kubernetes Deployment sets the command.
FROM python:3.11-slim

# The root filesystem is read-only in Kubernetes: no .pyc writes at run time.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 servicedesk \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin servicedesk

WORKDIR /app
COPY . .
# constraints.txt is the lock: every dependency is installed at its pinned version.
# The source stays owned by root, so the app user cannot modify its own code.
RUN pip install --no-cache-dir -c constraints.txt . \
    && rm -rf build ./*.egg-info

# Numeric, so that Kubernetes can verify runAsNonRoot without reading /etc/passwd.
USER 10001:10001

EXPOSE 8080 9100
CMD ["gunicorn", "--config", "gateway/gunicorn_conf.py", "gateway.wsgi:app"]
