FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY cdp cdp
COPY schema schema
COPY tagging tagging
COPY graph graph
COPY policies policies
RUN pip install --no-cache-dir .
ENV CDP_HOST=0.0.0.0 CDP_PORT=8000
EXPOSE 8000
CMD ["cdp", "serve"]
