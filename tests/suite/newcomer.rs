//! The messages a newcomer meets, and that doing what they say works: no `source/`
//! (`shale new .`), inside the source folder (`cd ..`), Slate's old `index.md`
//! (the rename), `serve --single-file` (a `build` option), `serve -q` (quiet while the
//! builds succeed). The exact texts are also snapshotted in `tests/suite/errors.rs`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use crate::common::*;

#[test]
fn no_source_folder_suggests_shale_new_dot_for_build_and_serve() {
    let d = tempfile::tempdir().unwrap();
    for args in [&["build"][..], &["serve", "--port", "0"]] {
        let o = shale(d.path(), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("To start a new project here, run `shale new .`"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Doing so gives a project that builds.
    assert!(shale(d.path(), &["new", "-q", "."]).status.success());
    assert!(shale(d.path(), &["build", "-q"]).status.success());
}

#[test]
fn inside_the_source_folder_says_to_go_up() {
    let d = project(&[("source/index.html.md", b"# A\n")]);
    let inside = d.path().join("source");
    let o = shale(&inside, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("it looks like the source folder itself"),
        "{err}"
    );
    assert!(err.contains("(`cd ..`)"), "{err}");
    assert!(!err.contains("shale new"), "not a new project: {err}");
}

#[test]
fn an_old_index_md_is_named_with_the_rename() {
    if !prerequisite(runs("sh", &["-c", "true"]), "sh") {
        return;
    }
    let d = project(&[("source/index.md", b"# Hello\n")]);
    let o = shale(d.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let rename = err
        .split("Rename it: `")
        .nth(1)
        .and_then(|r| r.split('`').next())
        .unwrap_or_else(|| panic!("no rename: {err}"));
    assert_eq!(rename, "mv source/index.md source/index.html.md");
    // The command as given fixes it.
    let o = Command::new("sh")
        .args(["-c", rename])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let o = shale(d.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(d.path().join("build/index.html")).contains("<h1 id='hello'>Hello</h1>"));

    // Another Markdown file is no page either, but not taken for one to rename.
    let d = project(&[("source/README.md", b"# x\n")]);
    let err = stderr(&shale(d.path(), &["build"]));
    assert!(
        err.contains("no pages found; a Slate page is a `*.html.md` file"),
        "{err}"
    );
}

#[test]
fn serve_single_file_says_it_is_a_build_option() {
    let d = project(&[("source/index.html.md", b"# A\n")]);
    let o = shale(d.path(), &["serve", "--single-file", "--port", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "it does not start");
    assert!(
        stderr(&o).starts_with("error: --single-file is an option of `shale build`"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("run `shale build --single-file`"));
    // Not listed among serve's options.
    let help = stdout(&shale(d.path(), &["serve", "--help"]));
    assert!(!help.contains("single-file"), "{help}");
}

/// `GET path` on 127.0.0.1:port; the body.
fn get(port: u16, path: &str) -> String {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(s, "GET {path} HTTP/1.0\r\nHost: x\r\n\r\n");
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    body
}

#[cfg(unix)]
#[test]
fn serve_quiet_prints_the_address_and_no_successful_build() {
    let d = project(&[("source/index.html.md", b"# First\n")]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_shale"))
        .current_dir(d.path())
        .args(["serve", "-q", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(
        first.starts_with("serving source at http://127.0.0.1:"),
        "{first}"
    );
    let port: u16 = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    assert!(get(port, "/").contains("<h1 id='first'>"));

    // An edit is rebuilt (the page changes) and nothing is printed about it.
    std::fs::write(d.path().join("source/index.html.md"), "# Second\n").unwrap();
    let mut rebuilt = false;
    for _ in 0..200 {
        if get(port, "/").contains("<h1 id='second'>") {
            rebuilt = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(rebuilt, "the edit was rebuilt");
    assert!(Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let all = format!("{first}{rest}");
    assert!(!all.contains("built"), "{all}");
    assert!(
        !all.contains("rebuilt") && !all.contains("changed"),
        "{all}"
    );
    assert_eq!(err, "", "no warning, no error");
}
