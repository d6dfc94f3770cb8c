#!/bin/sh
# Installs shale from a GitHub release: downloads the archive for this system, checks
# its SHA-256 against the release's .sha256 file and puts `shale` in a folder.
#
#   curl -fsSL https://github.com/OWNER/NAME/releases/latest/download/install.sh | sh
#
# Settings (environment variables, all optional):
#   SHALE_VERSION        a release (1.2.0 or v1.2.0) or `latest` (the default)
#   SHALE_INSTALL_DIR    where to put shale (default: ~/.local/bin)
#   SHALE_REPO           the GitHub repository, OWNER/NAME (the release's copy of this
#                        script names its own)
#   SHALE_TARGET         the build to get (default: this system's, see below)
#   SHALE_DOWNLOAD_BASE  the URL (or a local folder) of the release's files, in place of
#                        https://github.com/$SHALE_REPO/releases/download/v$SHALE_VERSION
#
# Builds: Linux x86_64 and aarch64 (static, any distribution), macOS x86_64 and arm64,
# Windows x86_64 (in Git Bash or MSYS2). The GitHub Action (action.yml) uses this script.
set -eu

SHALE_REPO_DEFAULT=""

say() { printf '%s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# fetch BASE NAME DIR: the release file NAME from BASE (a URL or a folder) into DIR.
fetch() {
  case "$1" in
    *://*)
      if command -v curl >/dev/null 2>&1; then
        curl --proto-redir '=https' -fsSL --retry 3 -o "$3/$2" "$1/$2" ||
          die "could not download $1/$2 (is it a release with a build for this system? SHALE_VERSION, SHALE_TARGET)"
      elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$3/$2" "$1/$2" ||
          die "could not download $1/$2 (is it a release with a build for this system? SHALE_VERSION, SHALE_TARGET)"
      else
        die "neither curl nor wget is installed: install one of them"
      fi
      ;;
    *) cp "$1/$2" "$3/$2" 2>/dev/null || die "there is no $2 in $1" ;;
  esac
}

# Everything runs from here, so that a download cut short (`curl | sh`) runs nothing.
main() {
  repo="${SHALE_REPO:-$SHALE_REPO_DEFAULT}"
  version="${SHALE_VERSION:-latest}"
  version="${version#v}"
  dir="${SHALE_INSTALL_DIR:-${HOME:?HOME is not set: set SHALE_INSTALL_DIR}/.local/bin}"

  case "$version" in
    latest) ;;
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) die "SHALE_VERSION must be a release such as 1.2.0, or latest, not '$version'" ;;
  esac

  target="${SHALE_TARGET:-}"
  if [ -z "$target" ]; then
    os=$(uname -s)
    arch=$(uname -m)
    case "$arch" in
      x86_64 | amd64) arch=x86_64 ;;
      aarch64 | arm64) arch=aarch64 ;;
    esac
    # A shell under Rosetta says x86_64 on an Apple silicon Mac: get the native build.
    if [ "$os/$arch" = Darwin/x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null)" = 1 ]; then
      arch=aarch64
    fi
    case "$os/$arch" in
      Linux/x86_64 | Linux/aarch64) target="$arch-unknown-linux-gnu" ;;
      Darwin/x86_64 | Darwin/aarch64) target="$arch-apple-darwin" ;;
      MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) target="x86_64-pc-windows-msvc" ;;
      *) die "there is no prebuilt shale for $os on $arch: build it with cargo (cargo install --locked shale-docs; see README.md, \"Get shale\")" ;;
    esac
  fi
  case "$target" in
    *-windows-*) archive="shale-$target.zip" exe=shale.exe ;;
    *) archive="shale-$target.tar.gz" exe=shale ;;
  esac

  base="${SHALE_DOWNLOAD_BASE:-}"
  if [ -z "$base" ]; then
    [ -n "$repo" ] || die "set SHALE_REPO to shale's GitHub repository (OWNER/NAME), or SHALE_DOWNLOAD_BASE to where its release files are"
    case "$version" in
      latest) base="https://github.com/$repo/releases/latest/download" ;;
      *) base="https://github.com/$repo/releases/download/v$version" ;;
    esac
  fi
  base="${base%/}"

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t shale)
  trap 'rm -rf "$tmp"' EXIT INT TERM

  say "downloading $base/$archive"
  fetch "$base" "$archive" "$tmp"
  fetch "$base" "$archive.sha256" "$tmp"

  if command -v sha256sum >/dev/null 2>&1; then
    got=$(sha256sum "$tmp/$archive" | cut -d ' ' -f 1)
  elif command -v shasum >/dev/null 2>&1; then
    got=$(shasum -a 256 "$tmp/$archive" | cut -d ' ' -f 1)
  else
    die "neither sha256sum nor shasum is installed: cannot check the download"
  fi
  want=$(cut -d ' ' -f 1 <"$tmp/$archive.sha256" | tr -d '\r\n')
  case "$want" in
    *[!0-9a-f]* | "") die "$archive.sha256 holds no SHA-256: '$want'" ;;
  esac
  [ "${#want}" -eq 64 ] || die "$archive.sha256 holds no SHA-256: '$want'"
  [ "$got" = "$want" ] ||
    die "the SHA-256 of $archive is $got, but $archive.sha256 says $want: the download is damaged or not the release's; nothing was installed"

  case "$archive" in
    *.zip)
      command -v unzip >/dev/null 2>&1 || die "unzip is not installed: install it"
      unzip -q "$tmp/$archive" -d "$tmp" ;;
    *) tar -xzf "$tmp/$archive" -C "$tmp" ;;
  esac
  [ -f "$tmp/shale-$target/$exe" ] || die "$archive has no shale-$target/$exe"

  mkdir -p "$dir" || die "could not create $dir: set SHALE_INSTALL_DIR to a folder you can write to"
  # Into place by a rename, so that a shale running now is not changed under it.
  cp "$tmp/shale-$target/$exe" "$dir/.$exe.new" || die "could not write to $dir: set SHALE_INSTALL_DIR to a folder you can write to"
  chmod 755 "$dir/.$exe.new"
  mv -f "$dir/.$exe.new" "$dir/$exe"

  installed=$("$dir/$exe" --version) || die "$dir/$exe does not run on this system ($target)"
  say "installed $installed ($target) as $dir/$exe"
  case ":$PATH:" in
    *":$dir:"*) ;;
    *) say "$dir is not in your PATH: add it (export PATH=\"$dir:\$PATH\" in your shell's profile), or run $dir/$exe" ;;
  esac
}

main "$@"
