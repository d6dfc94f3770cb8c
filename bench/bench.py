#!/usr/bin/env python3
"""shale against Shins (the Node port of Slate), on the same inputs, in the same run.

usage: bench/bench.py [--runs N] [--no-shins] [--no-serve] [--only NAME[,NAME]]

Generates the inputs reproducibly under target/bench/ (the sample; the sample's body
repeated to ~2 MB and ~10 MB; every page of the shared corpus concatenated; a 200-page
site), installs Shins from npm into target/bench/shins (once), then times `shale build`
(release) and Shins alternately, several runs each, and prints medians, the shale/Shins
ratio and peak memory (from /usr/bin/time). Figures are wall-clock times of whole
processes on this machine: compare the ratio, not the absolute numbers.

Then `shale serve`'s rebuild after a one-line prose edit, for the sample and the 10 MB
page (examples/serve_bench.rs: save -> `reload` event on the live-reload stream, and the
rebuild time the server prints; median of 9 edits). --no-serve skips it.
"""
import argparse, os, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "bench")
SHARED = os.environ.get("SHALE_SHARED", os.path.join(ROOT, "..", "shared"))
SHINS_VERSION = "2.6.0"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def front_and_body(text):
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + 5
        return text[:end], text[end:]
    return "", text


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def gen_inputs():
    """name -> source folder."""
    sample = os.path.join(ROOT, "source")
    fm, body = front_and_body(open(os.path.join(sample, "index.html.md")).read())
    inputs = {"sample": sample}
    for name, target in (("2mb", 2 << 20), ("10mb", 10 << 20)):
        src = os.path.join(WORK, "inputs", name, "source")
        if not os.path.exists(os.path.join(src, "index.html.md")):
            shutil.copytree(sample, src, dirs_exist_ok=True)
            write(os.path.join(src, "index.html.md"), fm + body * (target // len(body) + 1))
        inputs[name] = src
    # Every corpus page and its includes, one after the other: real, non-repeated code.
    corpus_dirs = [os.path.join(SHARED, "corpus"), os.path.join(ROOT, "tests", "fixtures", "corpus")]
    corpus = next((d for d in corpus_dirs if os.path.isdir(d)), None)
    src = os.path.join(WORK, "inputs", "corpus", "source")
    if corpus and not os.path.exists(os.path.join(src, "index.html.md")):
        parts, tabs = [], []
        for proj in sorted(os.listdir(corpus)):
            s = os.path.join(corpus, proj, "source")
            if not os.path.isdir(s):
                continue
            for dirpath, _, files in sorted(os.walk(s)):
                for f in sorted(files):
                    if f.endswith(".md"):
                        _, b = front_and_body(open(os.path.join(dirpath, f), encoding="utf-8").read())
                        parts.append(b)
        front = "---\ntitle: Corpus\nlanguage_tabs:\n  - shell\n  - ruby\n  - python\n  - javascript\n  - go\n  - php\nsearch: true\n---\n"
        write(os.path.join(src, "index.html.md"), front + "\n\n".join(parts))
    if corpus:
        inputs["corpus"] = src
    # A 200-page site.
    src = os.path.join(WORK, "inputs", "site200", "source")
    if not os.path.exists(os.path.join(src, "page199.html.md")):
        shutil.copytree(sample, src, dirs_exist_ok=True)
        for i in range(200):
            write(os.path.join(src, f"page{i}.html.md"), fm.replace("title: API Reference", f"title: Page {i}") + body)
    inputs["site200"] = src
    return inputs


def pages_of(src):
    return sorted(f for f in os.listdir(src) if f.endswith(".html.md"))


def shins_dir():
    d = os.path.join(WORK, "shins")
    if not os.path.exists(os.path.join(d, "node_modules", "shins", "shins.js")):
        os.makedirs(d, exist_ok=True)
        sh(["npm", "install", "--no-audit", "--no-fund", "--silent", f"shins@{SHINS_VERSION}"], cwd=d, stdout=subprocess.DEVNULL)
    return os.path.join(d, "node_modules", "shins")


def shins_site(name, src):
    """A Shins site folder (its pub/ and source/ skeleton) holding the input's pages."""
    site = os.path.join(WORK, "shins-sites", name)
    if not os.path.exists(site):
        shins = shins_dir()
        shutil.copytree(os.path.join(shins, "pub"), os.path.join(site, "pub"))
        shutil.copytree(os.path.join(shins, "source"), os.path.join(site, "source"))
        shutil.copytree(src, os.path.join(site, "source"), dirs_exist_ok=True)
    return site


def timed(cmd, cwd=None):
    """(seconds, peak RSS in MB) of one run."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    peak_kb = int(p.stderr.strip().splitlines()[-1])
    return dt, peak_kb / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-shins", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--no-serve", action="store_true")
    args = ap.parse_args()
    sh(["cargo", "build", "--release", "-q", "--bin", "shale", "--example", "serve_bench"], cwd=ROOT)
    shale = os.environ.get("SHALE_BIN", os.path.join(ROOT, "target", "release", "shale"))
    inputs = gen_inputs()
    only = set(filter(None, args.only.split(",")))
    print(f"machine: {os.cpu_count()} cores; runs per tool: {args.runs} (site200 under Shins: 1, one process per page)")
    print(f"{'input':<9} {'size':>8} {'shale ms':>9} {'Shins ms':>9} {'ratio':>7} {'shale MB':>9} {'Shins MB':>9}")
    for name, src in inputs.items():
        if only and name not in only:
            continue
        size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(src) for f in fs if f.endswith(".md"))
        out = os.path.join(WORK, "out", name)
        shale_runs, shins_runs = [], []
        site = None if args.no_shins else shins_site(name, src)
        shins_js = None if args.no_shins else os.path.join(shins_dir(), "shins.js")
        for i in range(args.runs):
            shale_runs.append(timed([shale, "build", "-q", "--source", src, "--output", out]))
            if site and (name != "site200" or i == 0):
                if name == "site200":
                    total, peak = 0.0, 0.0
                    for p in pages_of(os.path.join(site, "source")):
                        dt, mb = timed(["node", shins_js, os.path.join("source", p), "--root", site, "-o", os.path.join(site, p[:-3])], cwd=site)
                        total, peak = total + dt, max(peak, mb)
                    shins_runs.append((total, peak))
                else:
                    shins_runs.append(timed(["node", shins_js, os.path.join("source", "index.html.md"), "--root", site], cwd=site))
        s_ms = statistics.median(r[0] for r in shale_runs) * 1000
        s_mb = max(r[1] for r in shale_runs)
        if shins_runs:
            n_ms = statistics.median(r[0] for r in shins_runs) * 1000
            n_mb = max(r[1] for r in shins_runs)
            print(f"{name:<9} {size/1e6:>6.2f}MB {s_ms:>9.0f} {n_ms:>9.0f} {n_ms/s_ms:>6.1f}x {s_mb:>9.0f} {n_mb:>9.0f}")
        else:
            print(f"{name:<9} {size/1e6:>6.2f}MB {s_ms:>9.0f} {'-':>9} {'-':>7} {s_mb:>9.0f} {'-':>9}")
    if not args.no_serve and (not only or "10mb" in only):
        print("shale serve, one-line prose edit (sample, then the 10 MB page):")
        out = subprocess.run(
            [os.path.join(ROOT, "target", "release", "examples", "serve_bench"), "--bin", shale,
             "--source", inputs["10mb"], "--connections", "2", "--seconds", "1"],
            cwd=ROOT, check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("save -> reload"):
                print("  " + line)


if __name__ == "__main__":
    main()
