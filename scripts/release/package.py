#!/usr/bin/env python3
"""Packs shale's release files. The release workflow runs it on every platform's runner
(Linux, macOS, Windows: only the standard library is used); tests/suite/release.rs runs the
same commands on the host's build.

  package.py archive --target TARGET --binary PATH --out DIR
      DIR/shale-TARGET.tar.gz (.zip for Windows targets) holding the folder
      shale-TARGET/ with the binary (shale or shale.exe), README.md, the two licences, and what
      the README links to (CONTRIBUTING.md, docs/), and beside it
      DIR/shale-TARGET.tar.gz.sha256, one `HASH  NAME` line (`sha256sum -c` reads it).
      Prints the archive's path. The archive's bytes depend only on its inputs and
      SOURCE_DATE_EPOCH (the time stamp of every entry; default 0, i.e. 1980 for zip).
  package.py sums DIR
      Checks each archive in DIR against its .sha256 and writes DIR/SHA256SUMS, all lines.
  package.py installers --repo OWNER/NAME --out DIR
      DIR/install.sh and DIR/install.ps1: scripts/install.* with the repository filled in.
  package.py version TAG
      Checks that TAG is `v` + Cargo.toml's version (the release workflow's tag) and
      prints the version.

The release's files are named without the version (shale-TARGET.tar.gz), so that
https://github.com/OWNER/NAME/releases/latest/download/FILE always names the newest.
"""

import argparse
import gzip
import hashlib
import io
import os
import re
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ARCHIVE_SUFFIXES = (".tar.gz", ".zip")
# The line of scripts/install.sh and scripts/install.ps1 that `installers` fills in.
REPO_LINES = {
    "install.sh": ('SHALE_REPO_DEFAULT=""', 'SHALE_REPO_DEFAULT="{repo}"'),
    "install.ps1": ('$RepoDefault = ""', '$RepoDefault = "{repo}"'),
}


def fail(message):
    print(f"error: package.py: {message}", file=sys.stderr)
    sys.exit(1)


def is_windows(target):
    return "-windows-" in target


def archive_name(target):
    return f"shale-{target}" + (".zip" if is_windows(target) else ".tar.gz")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def epoch():
    value = os.environ.get("SOURCE_DATE_EPOCH", "0")
    if not value.isdigit():
        fail(f"SOURCE_DATE_EPOCH must be a number of seconds, not {value!r}")
    return int(value)


def archive(args):
    target, binary, out = args.target, Path(args.binary), Path(args.out)
    if not re.fullmatch(r"[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+(-[a-z0-9_]+)?", target):
        fail(f"{target!r} is not a target triple (e.g. x86_64-unknown-linux-gnu)")
    if not binary.is_file():
        fail(f"no binary at {binary}: build it first (scripts/release/build.sh {target})")
    exe = "shale.exe" if is_windows(target) else "shale"
    folder = f"shale-{target}"
    members = [  # (name in the archive, bytes, executable)
        (f"{folder}/{exe}", binary.read_bytes(), True),
        (f"{folder}/README.md", (ROOT / "README.md").read_bytes(), False),
        (f"{folder}/LICENSE-APACHE", (ROOT / "LICENSE-APACHE").read_bytes(), False),
        (f"{folder}/LICENSE-MIT", (ROOT / "LICENSE-MIT").read_bytes(), False),
        # what the README links to, so that its links work in the unpacked folder
        (f"{folder}/CONTRIBUTING.md", (ROOT / "CONTRIBUTING.md").read_bytes(), False),
    ] + [
        (f"{folder}/docs/{p.name}", p.read_bytes(), False)
        for p in sorted((ROOT / "docs").iterdir())
        if p.suffix in (".md", ".png")
    ]
    out.mkdir(parents=True, exist_ok=True)
    path = out / archive_name(target)
    mtime = epoch()
    if is_windows(target):
        stamp = max(mtime, 315532800)  # zip cannot say anything before 1980
        date_time = time.gmtime(stamp)[:6]
        with zipfile.ZipFile(path, "w") as z:
            for name, data, executable in members:
                info = zipfile.ZipInfo(name, date_time)
                info.create_system = 3  # Unix: keep the modes below
                info.external_attr = (0o100755 if executable else 0o100644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data, compresslevel=6)
    else:
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
            dir_info = tarfile.TarInfo(folder)
            dir_info.type, dir_info.mode, dir_info.mtime = tarfile.DIRTYPE, 0o755, mtime
            t.addfile(dir_info)
            docs_info = tarfile.TarInfo(f"{folder}/docs")
            docs_info.type, docs_info.mode, docs_info.mtime = tarfile.DIRTYPE, 0o755, mtime
            t.addfile(docs_info)
            for name, data, executable in members:
                info = tarfile.TarInfo(name)
                info.size, info.mtime = len(data), mtime
                info.mode = 0o755 if executable else 0o644
                t.addfile(info, io.BytesIO(data))
        with open(path, "wb") as f, gzip.GzipFile(
            filename="", fileobj=f, mode="wb", compresslevel=6, mtime=mtime
        ) as gz:
            gz.write(raw.getvalue())
    with open(f"{path}.sha256", "w", newline="\n") as f:
        f.write(f"{sha256(path)}  {path.name}\n")
    print(path)


def sums(args):
    out = Path(args.dir)
    archives = sorted(p for p in out.iterdir() if p.name.endswith(ARCHIVE_SUFFIXES))
    if not archives:
        fail(f"no shale-*.tar.gz or shale-*.zip in {out}")
    lines = []
    for p in archives:
        sum_file = Path(f"{p}.sha256")
        if not sum_file.is_file():
            fail(f"{p.name} has no {sum_file.name} beside it")
        want = sum_file.read_text().split()
        got = sha256(p)
        if want != [got, p.name]:
            fail(f"{sum_file.name} does not match {p.name} (its SHA-256 is {got})")
        lines.append(f"{got}  {p.name}\n")
    (out / "SHA256SUMS").write_text("".join(lines), newline="\n")
    print(out / "SHA256SUMS")


def installers(args):
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", args.repo):
        fail(f"--repo must be OWNER/NAME, not {args.repo!r}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, (line, filled) in REPO_LINES.items():
        text = (ROOT / "scripts" / name).read_text()
        if text.count(line) != 1:
            fail(f"scripts/{name} must have the line `{line}` once, to fill in")
        (out / name).write_text(text.replace(line, filled.format(repo=args.repo)), newline="\n")
        print(out / name)


def version(args):
    with open(ROOT / "Cargo.toml", "rb") as f:
        crate = tomllib.load(f)["package"]["version"]
    if args.tag != f"v{crate}":
        fail(
            f"the tag {args.tag} is not v{crate}, the version in Cargo.toml: set "
            f'`version = "{args.tag.lstrip("v")}"` in Cargo.toml and tag that commit'
        )
    print(crate)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("archive")
    a.add_argument("--target", required=True)
    a.add_argument("--binary", required=True)
    a.add_argument("--out", required=True)
    a.set_defaults(run=archive)
    s = sub.add_parser("sums")
    s.add_argument("dir")
    s.set_defaults(run=sums)
    i = sub.add_parser("installers")
    i.add_argument("--repo", required=True)
    i.add_argument("--out", required=True)
    i.set_defaults(run=installers)
    v = sub.add_parser("version")
    v.add_argument("tag")
    v.set_defaults(run=version)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
