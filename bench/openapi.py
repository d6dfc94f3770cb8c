#!/usr/bin/env python3
"""`shale import` against Widdershins 4.0.1, side by side, on the same specs, in one run.

usage: bench/openapi.py [--runs N] [--no-widdershins] [--max-samples N] [--timeout S]
                        [--no-shared] [--shale BIN] [SPEC...]

For every spec (../shared/openapi/specs/* unless --no-shared, and any SPEC given), runs
`shale import` (the release build, or --shale BIN) and Widdershins (npm `widdershins@4.0.1`, installed once
into target/bench/widdershins), alternately, --runs times each, and prints per tool the
median wall time, the peak memory (from /usr/bin/time), the markdown size, and the
figures of the checkers in ../shared/openapi/tools on the markdown each wrote:
operations found, parameters and response codes listed, operations whose curl sample
sends the body, code samples with syntax errors per language (at most --max-samples
per language and spec are checked: node, python, bash, ruby and gofmt take a process
each), JSON blocks that do not parse, broken table rows, invalid response examples.
A run of Widdershins longer than --timeout seconds (default 300) is stopped and counted
as failed. Figures are of whole processes on this machine: compare the ratios.
"""
import argparse, glob, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "bench")
SHARED = os.environ.get("SHALE_SHARED", os.path.join(ROOT, "..", "shared"))
TOOLS = os.path.join(SHARED, "openapi", "tools")
WIDDERSHINS_VERSION = "4.0.1"


def timed(cmd, timeout=None):
    """Runs cmd; returns (seconds, peak KB, returncode, stderr). Past `timeout` seconds
    the command (its process group) is killed: returncode "timeout"."""
    start = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        p.communicate()
        return time.perf_counter() - start, 0, "timeout", "timed out after %d s" % timeout
    secs = time.perf_counter() - start
    last = err.strip().splitlines()[-1] if err.strip() else "0"
    try:
        kb = int(last.split()[-1])
    except ValueError:
        kb = 0
    return secs, kb, p.returncode, err


def concat(source):
    """A shale import's page and includes as one markdown file, in front-matter order."""
    page = open(os.path.join(source, "index.html.md"), encoding="utf-8").read()
    fm = re.match(r"---\n(.*?)\n---\n", page, re.S).group(1)
    names, on = [], False
    for line in fm.splitlines():
        if line.startswith("includes:"):
            on = True
            continue
        m = re.match(r"\s+- (.*)", line) if on else None
        if m:
            names.append(json.loads(m.group(1)) if m.group(1).startswith('"') else m.group(1))
        else:
            on = False
    return page + "".join(
        "\n" + open(os.path.join(source, "includes", "_%s.md" % n), encoding="utf-8").read() for n in names
    )


def tool(name, *args):
    p = subprocess.run([sys.executable, os.path.join(TOOLS, name)] + list(args), capture_output=True, text=True)
    try:
        return json.loads(p.stdout.splitlines()[0])
    except Exception:
        return {"error": (p.stderr or p.stdout)[-300:]}


def checks(spec, md, max_samples):
    m = tool("check_md.py", spec, md)
    s = tool("check_samples.py", md, str(max_samples))
    e = tool("check_examples.py", spec, md)
    # Webhooks (3.1): rendered when the page names each one.
    doc = json.load(open(spec)) if spec.endswith(".json") else __import__("yaml").safe_load(open(spec))
    hooks = list((doc.get("webhooks") or {}).keys())
    text = open(md, encoding="utf-8").read()
    failed = {k: v[1] for k, v in s.get("checked/failed", {}).items() if k in ("shell", "javascript", "python", "ruby", "go")}
    checked = {k: v[0] for k, v in s.get("checked/failed", {}).items() if k in failed}
    return {
        "ops": "%s/%s" % (m.get("ops_found"), m.get("spec_ops")),
        "params": "%s/%s" % (m.get("params_found"), m.get("params_total")),
        "codes": "%s/%s" % (m.get("codes_found"), m.get("codes_total")),
        "body in curl": "%s/%s" % (m.get("body_in_curl"), m.get("body_ops")),
        "sample errors": ", ".join("%s %d/%d" % (k, failed[k], checked[k]) for k in sorted(failed)) or "none",
        "bad JSON": m.get("json_invalid"),
        "broken rows": m.get("broken_table_rows"),
        "bad examples": "%s/%s" % (e.get("invalid", 0), e.get("checked", 0)),
        "webhooks": "%d/%d" % (sum(1 for h in hooks if re.search(r"`[A-Z]+ %s`" % re.escape(h), text)), len(hooks)),
    }


def install_widdershins():
    d = os.path.join(WORK, "widdershins")
    cli = os.path.join(d, "node_modules", "widdershins", "widdershins.js")
    if not os.path.exists(cli):
        os.makedirs(d, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", d, "--no-audit", "--no-fund", "widdershins@" + WIDDERSHINS_VERSION],
                       check=True, stdout=subprocess.DEVNULL)
    return cli


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-widdershins", action="store_true")
    ap.add_argument("--max-samples", type=int, default=200)
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--no-shared", action="store_true")
    ap.add_argument("--shale", help="the shale binary to run (default: a release build of this tree)")
    ap.add_argument("specs", nargs="*")
    a = ap.parse_args()
    shared = [] if a.no_shared else sorted(glob.glob(os.path.join(SHARED, "openapi", "specs", "*")))
    specs = shared + a.specs
    shale = a.shale
    if not shale:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
        shale = os.path.join(ROOT, "target", "release", "shale")
    widdershins = None if a.no_widdershins else install_widdershins()
    tmp = tempfile.mkdtemp(prefix="shale-openapi-bench-")
    rows = []
    for spec in specs:
        name = os.path.splitext(os.path.basename(spec))[0]
        out = {"shale": [], "widdershins": []}
        for _ in range(a.runs):
            src = os.path.join(tmp, name, "source")
            shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)
            out["shale"].append(timed([shale, "import", "-q", "--force", spec, "-o", src]))
            if widdershins:
                wmd = os.path.join(tmp, name + ".widdershins.md")
                out["widdershins"].append(timed(["node", widdershins, spec, "-o", wmd], a.timeout))
        smd = os.path.join(tmp, name + ".shale.md")
        with open(smd, "w", encoding="utf-8") as f:
            f.write(concat(os.path.join(tmp, name, "source")))
        for t, md in (("shale", smd), ("widdershins", os.path.join(tmp, name + ".widdershins.md"))):
            runs = out[t]
            if not runs:
                continue
            ok = all(r[2] == 0 for r in runs) and os.path.exists(md) and os.path.getsize(md) > 0
            if not ok and os.path.exists(md) and t == "widdershins":
                os.remove(md)  # a partial file of a failed run is not its output
            row = {
                "spec": name,
                "tool": t,
                "time s": round(statistics.median(r[0] for r in runs), 3),
                "peak MB": round(max(r[1] for r in runs) / 1024, 1),
                "md MB": round(os.path.getsize(md) / 2**20, 2) if os.path.exists(md) else 0,
            }
            if ok:
                row.update(checks(spec, md, a.max_samples))
            else:
                row["failed"] = (runs[-1][3] or "no output")[-200:].strip()
            rows.append(row)
            print(json.dumps(row), flush=True)
    # One table, shale's and Widdershins' rows side by side.
    cols = ["spec", "tool", "time s", "peak MB", "md MB", "ops", "params", "codes", "body in curl",
            "sample errors", "bad JSON", "broken rows", "bad examples", "webhooks"]
    print("\n|" + "|".join(cols) + "|\n|" + "---|" * len(cols))
    for r in rows:
        print("|" + "|".join(str(r.get(c, r.get("failed", "") if c == "ops" else "")) for c in cols) + "|")
    by = {(r["spec"], r["tool"]): r for r in rows}
    print()
    for spec in sorted({r["spec"] for r in rows}):
        s, w = by.get((spec, "shale")), by.get((spec, "widdershins"))
        if s and w and "failed" in w:
            print("%s: Widdershins failed (%s); shale %.1f s" % (spec, w["failed"][-80:], s["time s"]))
        elif s and w and s["time s"] > 0 and s["peak MB"] > 0:
            print("%s: shale %.1fx faster, %.1fx less memory" % (spec, w["time s"] / max(s["time s"], 0.01), w["peak MB"] / s["peak MB"]))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
