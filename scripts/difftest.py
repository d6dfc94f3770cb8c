#!/usr/bin/env python3
"""Differential test: random Slate-style markdown, rendered by the Slate oracle and by
shale, compared with compare.py (heading ids, TOC, code blocks, code text, prose,
asides). Each document is a page of one source folder, so the oracle, shale and
compare.py run once per batch. Prints each differing page and keeps its source.

usage: scripts/difftest.py [N] [SEED0] [--batch B] [--min PERCENT]
    N documents (default 300) from seed SEED0 (default 0), B pages per build (100);
    exits 1 when fewer than PERCENT % (default 100) are identical.
    Needs ../shared/oracle (or $SHALE_SHARED), ruby with the oracle's gems, ruby-dev,
    gcc and make (the oracle compiles redcarpet 3.6.0), and a built shale
    ($SHALE_BIN, default target/debug/shale). DIFFTEST_NOISY=1 adds markdown
    punctuation anywhere in the text.
"""
import argparse, json, os, random, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHALE_SHARED", os.path.join(ROOT, "..", "shared"))
SHALE = os.environ.get("SHALE_BIN", os.path.join(ROOT, "target", "debug", "shale"))

WORDS = ("kitten api token user request response error id name the a of to with bar Taker "
         "foo you in created s 42 7 v2 é ñandú ß 日本 是 时间戳 Привет snake_case it's e.g. "
         "& ' \" ( ) { } : ; ! ? / @ $ -").split() + ["x < y"]
if os.environ.get("DIFFTEST_NOISY"):
    # Markdown punctuation anywhere in the text: finds inline-parsing differences too.
    WORDS += "> | # - + 1. 2) [x] * _ ` ~ ** __ ~~ ] [ \\".split()

DELIMS = ["*", "**", "***", "_", "__", "~~", "~", "****"]
URLS = ["#a", "#b-c", "#the-contract-\nperiod", "http://x.com/a_b", "x y", "<u v>", "a(b)c",
        "mailto:a@b.c?s=Hi there", "", "/v2/api.html", "a\\)b"]
TAGS = ["<code>x</code>", "<span class=\"a\">s</span>", "<br>", "<em>e</em>", "<kbd>K</kbd>",
        "<!-- c -->", "<https://example.com/a>", "<me@example.com>", "<a href=\"#a\">l</a>"]
ENTITIES = ["&amp;", "&copy;", "&#123;", "&bogus;", "&", "&nbsp;"]
ESCAPES = ["\\*", "\\_", "\\`", "\\$", "\\\\", "\\|", "\\[", "\\<", "\\~", "\\"]


def words(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))


def emphasis(r):
    d, w = r.choice(DELIMS), r.choice(WORDS)
    return r.choice([f"{d}{w}{d}", f"{d}{w}", f"{w}{d}", f"{d}{w} {r.choice(WORDS)}{d}{r.choice(WORDS)}",
                     f"{d}{w}{r.choice(DELIMS)}{r.choice(WORDS)}", d])


def code_span(r):
    ticks = "`" * r.randint(1, 3)
    close = ticks if r.random() < 0.8 else "`" * r.randint(1, 3)
    pad = " " if r.random() < 0.3 else ""
    return f"{ticks}{pad}{words(r, r.randint(1, 3))}{pad}{close}"


def link(r, heading):
    text = inline(r, r.randint(1, 2), heading) if r.random() < 0.8 else f"{r.choice(WORDS)}\n{r.choice(WORDS)}"
    # No image in a heading: Slate's id of a heading without Latin letters hashes its
    # HTML, image paths included, and shale does not rename images as Middleman does.
    bang = "!" if r.random() < 0.15 and not heading else ""
    url = r.choice(URLS)
    title = r.choice(["", "", "", ' "t"', " 'x'", ' "open'])
    form = r.random()
    if form < 0.15:
        return f"{bang}[{text}] ({url})"
    if form < 0.3:
        return f"{bang}[{text}][{r.choice(['ref', 'Ref', 'none', ''])}]"
    if form < 0.4:
        return f"{bang}[{r.choice(['ref', 'none'])}]"
    return f"{bang}[{text}]({url}{title})"


def atom(r, heading):
    k = r.random()
    if k < 0.42: return r.choice(WORDS)
    if k < 0.58: return emphasis(r)
    if k < 0.65: return code_span(r)
    if k < 0.74: return link(r, heading)
    if k < 0.78: return r.choice(TAGS)
    if k < 0.82: return r.choice(ENTITIES)
    if k < 0.87: return r.choice(ESCAPES)
    if k < 0.89: return "](a b)"
    return r.choice(["  \n", "\n", "\\\n", "[", "]", "!", "."])


def inline(r, n, heading=False):
    out = []
    for i in range(n):
        if i:
            out.append(" " if r.random() < 0.75 else "")
        out.append(atom(r, heading))
    return "".join(out)


LANGS = ["shell", "ruby", "python", "javascript", "json", "js", "sh", "py", "bash", "text",
         "plaintext--x", "javascript--node", "Ruby", "go", "{ruby}", "ruby x", "{ python }"]


def fence(r):
    ch = "`" if r.random() < 0.7 else "~"
    open_ = ch * r.choice([3, 3, 3, 4])
    indent = " " * r.choice([0, 0, 0, 1, 2, 3])
    code = "\n".join(r.choice(["", "  " + words(r, 2), "# not a heading", "x = 1", "```",
                               f'{r.choice(WORDS)} = "{r.choice(WORDS)}";'])
                     for _ in range(r.randint(1, 4)))
    close = open_ if r.random() < 0.85 else r.choice([ch * 3, ch * 5, "~~~", open_ + " x"])
    return f"{indent}{open_}{r.choice(LANGS)}\n{code}\n{' ' * r.randint(0, 2)}{close}"


def table(r):
    cols = r.randint(1, 3)
    indent = " " * r.choice([0, 0, 0, 1, 4, 6])
    outer = r.random() < 0.5

    def row(cells):
        body = (" | " if r.random() < 0.8 else "|").join(cells)
        return f"| {body} |" if outer else body
    head = row([("" if r.random() < 0.1 else inline(r, 1)) for _ in range(cols)])
    extra = 1 if r.random() < 0.15 else 0
    sep = row([r.choice([":--", "---", "--:", ":-:", ":", "-"]) for _ in range(cols + extra)])
    rows = "\n".join(" " * r.randint(0, 2) + row([("a \\| b" if r.random() < 0.15 else inline(r, r.randint(1, 2)))
                                               for _ in range(r.randint(1, cols + 1))])
                     for _ in range(r.randint(1, 3)))
    return f"{indent}{head}\n{sep}\n{rows}"


def lst(r, depth=0):
    marker = r.choice(["*", "-", "+", "1.", "2.", "10."])
    out = []
    for _ in range(r.randint(1, 3)):
        ind = " " * (depth * r.choice([2, 4]))
        if r.random() < 0.05:
            out.append(f"{ind}{marker}")
            continue
        out.append(f"{ind}{marker} {inline(r, r.randint(1, 4))}")
        k = r.random()
        if k < 0.1: out.append(f"{ind}  {inline(r, 2)}")
        elif k < 0.2: out.append(f"\n{ind}    {inline(r, 2)}")
        elif k < 0.3 and depth < 3: out.append(lst(r, depth + 1))
        elif k < 0.4: out.append("")
    return "\n".join(out)


def html_block(r):
    # Balanced blocks only: an unclosed or indented block tag leaves a stray tag in a
    # paragraph, which breaks the page the same way in Slate and in shale but reads
    # differently in the oracle's standalone content.html (tests/suite/redcarpet.rs covers
    # those byte for byte).
    tag = r.choice(['aside class="notice"', 'aside class="warning"', 'aside class="success"', "div", "p", "DIV"])
    name = tag.split(" ")[0]
    inner = inline(r, 3) if r.random() < 0.6 else inline(r, 2) + "\n\n" + inline(r, 2)
    k = r.random()
    if k < 0.3: return f"<{tag}>{inner}</{name}>"
    if k < 0.4: return f"<!-- {words(r, 2)} -->"
    if k < 0.45: return "<hr>"
    return f"<{tag}>\n{inner}\n</{name}>"


def block(r):
    k = r.random()
    if k < 0.13:
        return " " * r.choice([0, 0, 0, 1, 2, 3, 4]) + "#" * r.randint(1, 7) + r.choice([" ", "", "  "]) \
            + inline(r, r.randint(1, 3), True) + r.choice(["", "", "", " ##"])
    if k < 0.17: return inline(r, r.randint(1, 3), True) + "\n" + r.choice(["===", "---", " ===", "----------"])
    if k < 0.35: return "\n".join(" " * r.choice([0, 0, 0, 1, 4]) + inline(r, r.randint(2, 9)) for _ in range(r.randint(1, 3)))
    if k < 0.45: return fence(r)
    if k < 0.54: return lst(r)
    if k < 0.6:
        return "\n".join(r.choice(["> ", ">", "> > ", "   > ", ""]) + (f"- {inline(r, 2)}" if r.random() < 0.2 else inline(r, r.randint(2, 5)))
                         for _ in range(r.randint(1, 3)))
    if k < 0.68: return table(r)
    if k < 0.76: return html_block(r)
    if k < 0.79: return r.choice(["***", "---", "* * *", "___"])
    if k < 0.82: return "    " + inline(r, 3)
    if k < 0.85:
        lvl = r.randint(1, 3)
        return f'<h{lvl} id="raw-{r.randint(0, 9)}">{words(r, 2)}</h{lvl}>'
    if k < 0.88:
        return " " * r.randint(0, 3) + f"[{r.choice(['ref', 'Ref'])}]: " + r.choice(["/u", "<http://x.com/y>", '/u "T"', "/u\n  (T)"])
    return inline(r, r.randint(1, 6))


def doc(r):
    out = []
    for _ in range(r.randint(3, 25)):
        out.append(block(r))
        out.append("\n" if r.random() < 0.8 else "")
    return "---\ntitle: t\nlanguage_tabs:\n  - shell\n  - ruby\n  - python\n---\n" + "\n".join(out) + "\n"


def run_batch(seeds, keep):
    """Builds the documents of `seeds` as pages of one site; returns the failing seeds."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "source")
        os.makedirs(src)
        for seed in seeds:
            with open(os.path.join(src, f"p{seed}.html.md"), "w") as f:
                f.write(doc(random.Random(seed)))
        subprocess.run(["ruby", os.path.join(SHARED, "oracle/slate-oracle.rb"), src, os.path.join(d, "oracle")],
                       capture_output=True)
        with open(os.path.join(d, "oracle", f"p{seeds[0]}.json")) as f:
            version = json.load(f)["generator"]["redcarpet"]
        if version != "3.6.0":
            sys.exit(f"difftest: the oracle rendered with redcarpet {version}, not 3.6.0 (install ruby-dev, gcc, make)")
        b = subprocess.run([SHALE, "build", "-q", "-s", src, "-o", os.path.join(d, "site")], capture_output=True, text=True)
        if b.returncode != 0:
            print(f"seeds {seeds[0]}..{seeds[-1]}: shale failed: {b.stderr.strip()}")
            return list(seeds)
        c = subprocess.run(["python3", os.path.join(SHARED, "oracle/compare.py"), "--limit", "3",
                            os.path.join(d, "oracle"), os.path.join(d, "site")], capture_output=True, text=True)
        fails = []
        for seed in seeds:
            name = f"p{seed}"
            lines = [l for l in c.stdout.splitlines() if l.startswith(name + ": ")]
            summary = [l for l in lines if l.startswith(name + ": ids:")]
            bad = [l for l in lines if not l.startswith((name + ": ids:", name + ": note:"))]
            counts = re.findall(r"(\d+)/(\d+)", summary[0]) if summary else [("0", "1")]
            if bad or any(a != b for a, b in counts):
                fails.append(seed)
                shutil.copy(os.path.join(src, f"{name}.html.md"), os.path.join(keep, f"{seed}.md"))
                print(f"seed {seed}: {summary[0][len(name) + 2:] if summary else 'no summary'}")
                for l in bad[:3]:
                    print(f"    {l[len(name) + 2:][:200]}")
        return fails


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=300)
    ap.add_argument("seed0", nargs="?", type=int, default=0)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--min", type=float, default=100.0)
    a = ap.parse_args()
    keep = os.path.join(ROOT, "target", "difftest")
    os.makedirs(keep, exist_ok=True)
    seeds = list(range(a.seed0, a.seed0 + a.n))
    fails = []
    for i in range(0, len(seeds), a.batch):
        fails += run_batch(seeds[i:i + a.batch], keep)
    ok = a.n - len(fails)
    pct = 100.0 * ok / a.n if a.n else 100.0
    print(f"{ok} of {a.n} documents identical ({pct:.1f}%), {len(fails)} differ (kept in target/difftest/)")
    sys.exit(0 if pct >= a.min else 1)


main()
