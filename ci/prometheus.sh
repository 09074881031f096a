#!/usr/bin/env bash
# A real Prometheus scrapes pymem-tools' exporter, and every PromQL expression of the Grafana
# dashboard (dashboards/pymem.json) returns data through Prometheus's HTTP API. Installs
# Debian's `prometheus` package (apt-get); prints "skipped: <why>" and exits 0 when it cannot.
# About a minute once built.
set -euo pipefail
cd "$(dirname "$0")/.."

EXPORTER=127.0.0.1:19187
PROM=127.0.0.1:19090

if ! command -v prometheus >/dev/null; then
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } >/dev/null 2>&1; then
    echo "skipped: Debian's prometheus package cannot be installed here"
    exit 0
  fi
fi

cargo build -q -p pymem-tools --example serve_metrics
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

target/debug/examples/serve_metrics "$EXPORTER" 120 > "$work/exporter.log" 2>&1 &
pids+=($!)
cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: pymem
    static_configs:
      - targets: ["$EXPORTER"]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="$PROM" > "$work/prometheus.log" 2>&1 &
pids+=($!)

# Waits for Prometheus to have scraped the target for long enough that rate() has samples.
python3 ci/prometheus_check.py "$PROM" dashboards/pymem.json || {
  echo "--- prometheus.log"; tail -20 "$work/prometheus.log"
  echo "--- exporter.log"; tail -20 "$work/exporter.log"
  exit 1
}
