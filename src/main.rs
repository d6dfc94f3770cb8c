use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// shale builds Slate API documentation: point it at a Slate `source/` folder and it
/// writes the three-column static site, no Ruby needed.
#[derive(Debug, Parser)]
#[command(name = "shale", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site: every `*.html.md` page of the source folder becomes an `.html`
    /// page of the output folder, with stylesheets, scripts and images beside it.
    Build {
        /// The Slate source folder to read (pages, `includes/`, `images/`).
        #[arg(long, short = 's', value_name = "DIR", default_value = "source")]
        source: PathBuf,
        /// The folder to write the site to. It is replaced as a whole, and only when the
        /// build succeeds; a failed build leaves the previous site intact.
        #[arg(long, short = 'o', value_name = "DIR", default_value = "build")]
        output: PathBuf,
        /// Print nothing but errors and warnings.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Treat warnings (broken anchors and links, missing images, unused language
        /// tabs, unknown code languages, renamed duplicate ids) as errors.
        #[arg(long)]
        strict: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build {
            source,
            output,
            quiet,
            strict,
        } => {
            let summary = shale::build(&shale::BuildOptions {
                source,
                output: output.clone(),
                strict,
            })?;
            for w in &summary.warnings {
                eprintln!("warning: {w}");
            }
            if !quiet {
                println!(
                    "built {} page{} ({}, {} files) in {} ms → {}",
                    summary.pages,
                    if summary.pages == 1 { "" } else { "s" },
                    human_size(summary.bytes),
                    summary.files,
                    summary.elapsed.as_millis(),
                    output.display()
                );
            }
            Ok(())
        }
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1u64 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
