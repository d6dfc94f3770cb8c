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
}

impl Staging {
    /// Creates `.shale-tmp-NAME-PID` beside `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).with_context(|| {
            format!(
                "creating {}: check that the output folder's parent is writable",
                parent.display()
            )
        })?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "build".into());
        let dir = parent.join(format!(".shale-tmp-{name}-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("removing stale {}", dir.display()))?;
        }
        std::fs::create_dir(&dir).with_context(|| {
            format!(
                "creating {}: check that {} is writable",
                dir.display(),
                parent.display()
            )
        })?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
            bytes: 0,
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
