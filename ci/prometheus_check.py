"""Asks Prometheus (at argv[1]) every PromQL expression of a Grafana dashboard (argv[2]) and
fails unless each returns data. Waits up to 60 s for the scrape target to be up and for
enough samples for rate() over the dashboards' windows."""

import json
import sys
import time
import urllib.parse
import urllib.request


def api(prom, path, **params):
    url = f"http://{prom}/api/v1/{path}?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {params}: {body}")
    return body["data"]


def wait_for_target(prom, deadline):
    while time.time() < deadline:
        try:
            targets = api(prom, "targets")["activeTargets"]
            if targets and all(t["health"] == "up" for t in targets):
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("FAILED: the exporter was never scraped successfully")


def main():
    prom, dashboard = sys.argv[1], sys.argv[2]
    exprs = [(p["title"], t["expr"]) for p in json.load(open(dashboard))["panels"] for t in p["targets"]]
    deadline = time.time() + 60
    wait_for_target(prom, deadline)
    time.sleep(10)  # rate() needs at least two scrapes inside its window
    missing = exprs
    while missing and time.time() < deadline:
        missing = [(title, e) for title, e in missing if not api(prom, "query", query=e)["result"]]
        if missing:
            time.sleep(2)
    for title, expr in exprs:
        status = "no data" if (title, expr) in missing else "ok"
        print(f"{status:7} {title}: {expr}")
    if missing:
        raise SystemExit(f"FAILED: {len(missing)} of {len(exprs)} panel queries returned no data")
    print(f"all {len(exprs)} panel queries of {dashboard} return data")


if __name__ == "__main__":
    main()
