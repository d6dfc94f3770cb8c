#!/usr/bin/env python3
"""Differential test: random Slate-style markdown, rendered by the Slate oracle and by
shale, compared with compare.py. Prints each failing seed and keeps its source.

usage: scripts/difftest.py [N] [SEED0]   (needs ../shared/oracle, ruby, a built shale)
"""
import os, random, subprocess, sys, tempfile, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHALE_SHARED", os.path.join(ROOT, "..", "shared"))
SHALE = os.environ.get("SHALE_BIN", os.path.join(ROOT, "target", "debug", "shale"))

WORDS = "kitten api token user request response error id name the a of to with é ñ ß 日本 Привет & < ' \" ( ) { } : ; ! ? / @".split()
if os.environ.get("DIFFTEST_NOISY"):
    # Markdown punctuation anywhere in the text: finds inline-parsing differences too.
    WORDS += "> | # - + 1. 2) [x] * _ ` ~".split()

def words(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))

def inline(r):
    parts = []
    for _ in range(r.randint(1, 8)):
        k = r.random()
        w = words(r, r.randint(1, 3))
        if k < 0.1: parts.append(f"*{w}*")
        elif k < 0.2: parts.append(f"**{w}**")
        elif k < 0.28: parts.append(f"`{w}`")
        elif k < 0.34: parts.append(f"[{w}](#{r.choice(['a','b-c','x y'])})")
        elif k < 0.38: parts.append(f"~~{w}~~")
        elif k < 0.42: parts.append(f"<code>{w}</code>")
        elif k < 0.45: parts.append(f"foo_{w}_bar")
        else: parts.append(w)
    return " ".join(parts)

LANGS = ["shell", "ruby", "python", "javascript", "json", "js", "sh", "py", "bash", "", "text", "plaintext--x", "javascript--node", "Ruby", "go", "{ruby}", "ruby x"]

def block(r):
    k = r.random()
    if k < 0.2:
        return "#" * r.randint(1, 4) + r.choice([" ", "", "  "]) + inline(r)
    if k < 0.25:
        return inline(r) + "\n" + r.choice(["===", "---", "----------"])
    if k < 0.45:
        return "\n".join(inline(r) for _ in range(r.randint(1, 3)))
    if k < 0.55:
        fence = r.choice(["```", "~~~"])
        code = "\n".join(words(r, r.randint(0, 5)) for _ in range(r.randint(1, 4)))
        return f"{fence}{r.choice(LANGS)}\n{code}\n{fence}"
    if k < 0.62:
        m = r.choice(["*", "-", "+", "1."])
        return "\n".join(f"{m} {inline(r)}" for _ in range(r.randint(1, 4)))
    if k < 0.67:
        return "> " + inline(r)
    if k < 0.72:
        cls = r.choice(["notice", "warning", "success"])
        inner = inline(r) if r.random() < 0.5 else inline(r) + "\n\n" + inline(r)
        return f'<aside class="{cls}">\n{inner}\n</aside>'
    if k < 0.78:
        cols = r.randint(1, 3)
        head = " | ".join(words(r, 1) for _ in range(cols))
        sep = " | ".join("---" for _ in range(cols))
        rows = "\n".join(" | ".join(inline(r) for _ in range(cols)) for _ in range(r.randint(1, 3)))
        return f"{head}\n{sep}\n{rows}"
    if k < 0.82:
        return "    " + inline(r)
    if k < 0.85:
        return r.choice(["***", "---", "* * *"])
    if k < 0.88:
        lvl = r.randint(1, 3)
        return f'<h{lvl} id="raw-{r.randint(0, 9)}">{words(r, 2)}</h{lvl}>'
    return inline(r)

def doc(r):
    blocks = [block(r) for _ in range(r.randint(3, 25))]
    out = []
    for b in blocks:
        out.append(b)
        out.append("\n" if r.random() < 0.8 else "")
    return "---\ntitle: t\nlanguage_tabs:\n  - shell\n  - ruby\n  - python\n---\n" + "\n".join(out) + "\n"

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    seed0 = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    keep = os.path.join(ROOT, "target", "difftest")
    os.makedirs(keep, exist_ok=True)
    fails = 0
    for seed in range(seed0, seed0 + n):
        r = random.Random(seed)
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "source")
            os.makedirs(src)
            with open(os.path.join(src, "index.html.md"), "w") as f:
                f.write(doc(r))
            subprocess.run(["ruby", os.path.join(SHARED, "oracle/slate-oracle.rb"), src, os.path.join(d, "oracle")], capture_output=True)
            b = subprocess.run([SHALE, "build", "-q", "-s", src, "-o", os.path.join(d, "site")], capture_output=True, text=True)
            if b.returncode != 0:
                print(f"seed {seed}: shale failed: {b.stderr.strip()}")
                fails += 1
                shutil.copy(os.path.join(src, "index.html.md"), os.path.join(keep, f"{seed}.md"))
                continue
            c = subprocess.run(["python3", os.path.join(SHARED, "oracle/compare.py"), os.path.join(d, "oracle"), os.path.join(d, "site")], capture_output=True, text=True)
            if c.returncode != 0:
                fails += 1
                shutil.copy(os.path.join(src, "index.html.md"), os.path.join(keep, f"{seed}.md"))
                last = [l for l in c.stdout.splitlines() if l.startswith("ids:")]
                print(f"seed {seed}: {last[-1] if last else c.stdout[-300:]}")
    print(f"{n - fails} passed, {fails} failed")
    sys.exit(1 if fails else 0)

main()
