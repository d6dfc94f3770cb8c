//! Writing the site atomically: everything goes to a staging folder beside the output,
//! which replaces the output only once the whole build has succeeded. A failed or
//! interrupted build leaves the previous site as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Where a build writes its files: a staging folder on disk, or memory for `serve`.
pub trait Sink {
    /// Writes the file at `rel` (a `/`-separated relative path) from its parts, in order.
    fn write(&mut self, rel: &str, parts: &[&[u8]]) -> Result<()>;
    /// Copies the file at `from` to `rel`.
    fn copy(&mut self, from: &Path, rel: &str) -> Result<()>;
    /// Writes the file at `rel` from wherever its bytes are.
    fn put(&mut self, rel: &str, content: &Content) -> Result<()> {
        match content {
            Content::Static(bytes) => self.write(rel, &[bytes]),
            Content::Bytes(bytes) => self.write(rel, &[bytes]),
            Content::File(path) => self.copy(path, rel),
        }
    }
}

/// Where the bytes of a file of the site come from.
#[derive(Debug, Clone)]
pub enum Content {
    /// Embedded in the binary (the built-in theme).
    Static(&'static [u8]),
    /// A file on disk (the source folder, the project's `assets/`).
    File(PathBuf),
    /// Made by the build (`highlight.css`, a search index).
    Bytes(Vec<u8>),
}

/// A built site held in memory: relative path → bytes.
#[derive(Debug, Default, Clone)]
pub struct MemorySite {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Sink for MemorySite {
    fn write(&mut self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        check_rel(rel)?;
        self.files.insert(rel.to_string(), parts.concat());
        Ok(())
    }

    fn copy(&mut self, from: &Path, rel: &str) -> Result<()> {
        check_rel(rel)?;
        let bytes = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
        self.files.insert(rel.to_string(), bytes);
        Ok(())
    }
}

/// A relative output path must stay inside the output folder.
fn check_rel(rel: &str) -> Result<()> {
    let p = Path::new(rel);
    if p.is_absolute()
        || p.components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        bail!("refusing to write `{rel}` outside the output folder");
    }
    Ok(())
}

/// A staging folder for the output folder `target`.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    bytes: u64,
    /// Held until the staging folder is committed or dropped: one build at a time per
    /// output folder's parent.
    _lock: Option<std::fs::File>,
}

impl Staging {
    /// Creates `.shale-tmp-NAME-PID` beside `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if parent.is_file() {
            bail!(
                "output folder `{}`: `{}` is a file, so no folder can be made in it; choose another --output",
                target.display(),
                parent.display()
            );
        }
        std::fs::create_dir_all(&parent).map_err(|e| {
            anyhow::anyhow!(
                "output folder `{}`: cannot create its parent `{}` ({e}); check that it can be written",
                target.display(),
                parent.display()
            )
        })?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "build".into());
        let lock = lock_folder(&parent);
        // Left by a build that was killed (Ctrl-C): no other build runs here now.
        if let Ok(entries) = std::fs::read_dir(&parent) {
            let prefixes = [format!(".shale-tmp-{name}-"), format!(".shale-old-{name}-")];
            for e in entries.flatten() {
                let n = e.file_name();
                let n = n.to_string_lossy();
                if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = parent.join(format!(".shale-tmp-{name}-{}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| {
            anyhow::anyhow!(
                "output folder `{}`: cannot write in `{}` ({e}); check that it is writable, or choose another --output",
                target.display(),
                parent.display()
            )
        })?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
            bytes: 0,
            _lock: lock,
        })
    }

    fn path_for(&self, rel: &str) -> Result<PathBuf> {
        check_rel(rel)?;
        Ok(self.dir.join(rel))
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Sink for Staging {
    fn write(&mut self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        use std::io::Write;
        let path = self.path_for(rel)?;
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        }
        let f =
            std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        for p in parts {
            w.write_all(p)
                .with_context(|| format!("writing {}", path.display()))?;
            self.bytes += p.len() as u64;
        }
        w.flush()
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }

    fn copy(&mut self, from: &Path, rel: &str) -> Result<()> {
        let path = self.path_for(rel)?;
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        }
        self.bytes += std::fs::copy(from, &path)
            .with_context(|| format!("copying {} to {}", from.display(), path.display()))?;
        Ok(())
    }
}

impl Staging {
    /// Puts the staged site in place of the target folder.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            ".shale-old-{}-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            if !self.target.is_dir() {
                bail!(
                    "output `{}` exists and is not a folder; remove it or choose another --output",
                    self.target.display()
                );
            }
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("moving the previous {} aside", self.target.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e)
                .with_context(|| format!("putting the new site in {}", self.target.display()));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// Takes an exclusive lock on `folder` (Unix), waiting for another build that holds it.
fn lock_folder(folder: &Path) -> Option<std::fs::File> {
    if !cfg!(unix) {
        return None;
    }
    let f = std::fs::File::open(folder).ok()?;
    match f.try_lock() {
        Ok(()) => Some(f),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another shale build in {} to finish...",
                folder.display()
            );
            f.lock().ok().map(|()| f)
        }
        Err(_) => None,
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_a_killed_build_are_removed() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("build");
        std::fs::create_dir_all(d.path().join(".shale-tmp-build-999999/x")).unwrap();
        std::fs::create_dir_all(d.path().join(".shale-old-build-999998")).unwrap();
        std::fs::create_dir_all(d.path().join(".shale-tmp-other-1")).unwrap();
        let mut s = Staging::new(&out).unwrap();
        s.write("index.html", &[b"x"]).unwrap();
        s.commit().unwrap();
        let mut names: Vec<String> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".shale-tmp-other-1", "build"]);
    }

    #[test]
    fn concurrent_builds_take_turns() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("build");
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let out = out.clone();
                std::thread::spawn(move || {
                    let mut s = Staging::new(&out).unwrap();
                    for f in 0..20 {
                        s.write(&format!("f{f}.html"), &[format!("build {i}").as_bytes()])
                            .unwrap();
                    }
                    s.commit().unwrap();
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // One whole build won: every file says the same thing.
        let first = std::fs::read_to_string(out.join("f0.html")).unwrap();
        for f in 0..20 {
            assert_eq!(
                std::fs::read_to_string(out.join(format!("f{f}.html"))).unwrap(),
                first
            );
        }
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn replaces_only_on_commit() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("build");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let mut s = Staging::new(&out).unwrap();
            s.write("index.html", &[b"new"]).unwrap();
            // dropped without commit: a failed build
        }
        assert!(out.join("old.html").exists());
        assert!(!out.join("index.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the staging folder is removed");

        let mut s = Staging::new(&out).unwrap();
        s.write("sub/index.html", &[b"a", b"b"]).unwrap();
        assert!(s.write("../escape.html", &[b"x"]).is_err());
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("sub/index.html")).unwrap(),
            "ab"
        );
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
