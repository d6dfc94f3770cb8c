//! Where the time of a build went, phase by phase (`shale build -v`, `shale serve -v`).

use std::time::Duration;

/// Time per build phase, summed over the pages (one `Instant::now` per phase per page).
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Walking the source folder.
    pub scan: Duration,
    /// Reading the page and its includes, splitting and parsing front matter.
    pub read: Duration,
    /// Parsing and rendering the markdown, unique ids and the checks.
    pub markdown: Duration,
    /// Highlighting code blocks (identical blocks once).
    pub highlight: Duration,
    /// Code blocks of the pages.
    pub blocks: usize,
    /// Distinct blocks (identical blocks counted once).
    pub unique_blocks: usize,
    /// Blocks actually highlighted: the distinct ones less those `serve` had cached.
    pub highlighted_blocks: usize,
    /// Rouge lexers of the blocks.
    pub languages: std::collections::BTreeSet<&'static str>,
    /// Writing the events as HTML (`push_html`).
    pub assembly: Duration,
    /// Reading the TOC back from the body.
    pub toc: Duration,
    /// Building the search indexes.
    pub search: Duration,
    /// Loading the layout and rendering it around each page.
    pub layout: Duration,
    /// Writing files (assets, pages, indexes) and replacing the output folder.
    pub write: Duration,
}

impl Timings {
    /// Adds the figures of `other` (a page) to these.
    pub fn add(&mut self, other: &Timings) {
        self.scan += other.scan;
        self.read += other.read;
        self.markdown += other.markdown;
        self.highlight += other.highlight;
        self.blocks += other.blocks;
        self.unique_blocks += other.unique_blocks;
        self.highlighted_blocks += other.highlighted_blocks;
        self.languages.extend(other.languages.iter().copied());
        self.assembly += other.assembly;
        self.toc += other.toc;
        self.search += other.search;
        self.layout += other.layout;
        self.write += other.write;
    }

    /// The sum of the phases.
    pub fn total(&self) -> Duration {
        self.scan
            + self.read
            + self.markdown
            + self.highlight
            + self.assembly
            + self.toc
            + self.search
            + self.layout
            + self.write
    }
}

/// One line per phase (`shale build -v`, `shale serve -v`).
impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let langs: Vec<&str> = self.languages.iter().copied().collect();
        let highlight = format!(
            " ({} blocks, {} distinct, {} highlighted, {} languages: {})",
            self.blocks,
            self.unique_blocks,
            self.highlighted_blocks,
            langs.len(),
            langs.join(" ")
        );
        let rows = [
            ("scan", self.scan, ""),
            ("read + front matter", self.read, ""),
            ("markdown (parse, ids, checks)", self.markdown, ""),
            ("highlight", self.highlight, highlight.as_str()),
            ("page assembly", self.assembly, ""),
            ("TOC", self.toc, ""),
            ("search index", self.search, ""),
            ("layout", self.layout, ""),
            ("write", self.write, ""),
            ("total of phases", self.total(), ""),
        ];
        for (name, d, extra) in rows {
            writeln!(f, "  {name:<34} {:>9.2} ms{extra}", ms(d))?;
        }
        Ok(())
    }
}
