//! The guide (`src/guide/`) against the files it quotes and the README's links:
//!
//! - every example of the error gallery is a file of `tests/ui/fail/`, shown
//!   whole (hidden lines included), beside the output that the UI tests check
//!   for it, so that a changed message cannot leave the gallery behind;
//! - every page of `src/guide/` is a module of the guide, and every link of the
//!   README into the guide names one of them, defined again for rustdoc.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A fenced block of a Markdown file: its info string and its lines.
struct Block {
    info: String,
    text: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.to_owned(),
                    text: String::new(),
                })
            }
            (Some(_), Some("")) => blocks.extend(open.take()),
            (Some(block), _) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    blocks
}

/// A doctest's source as the compiler sees it: rustdoc's hidden lines
/// (`# code`, and `#` alone) shown.
fn unhidden(code: &str) -> String {
    code.lines()
        .map(|line| match line {
            "#" => "",
            _ => line.strip_prefix("# ").unwrap_or(line),
        })
        .fold(String::new(), |text, line| text + line + "\n")
}

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_error_gallery_quotes_the_ui_tests_exactly() {
    let gallery = blocks(&read("src/guide/errors.md"));
    let mut quoted = 0;
    for pair in gallery.windows(2) {
        let [code, output] = pair else { unreachable!() };
        let Some(file) = output
            .text
            .lines()
            .find_map(|line| line.trim_start().strip_prefix("--> tests/ui/fail/"))
            .and_then(|location| location.split(':').next())
        else {
            continue;
        };
        assert_eq!(
            output.info, "text",
            "the output of {file} is a `text` block"
        );
        assert!(
            code.info.starts_with("compile_fail"),
            "the example before the output of {file} is a `compile_fail` block, not `{}`",
            code.info
        );
        let stem = file.strip_suffix(".rs").expect("a Rust file");
        assert_eq!(
            unhidden(&code.text).trim_end(),
            read(&format!("tests/ui/fail/{file}")).trim_end(),
            "the gallery's copy of tests/ui/fail/{file}"
        );
        assert_eq!(
            output.text.trim_end(),
            read(&format!("tests/ui/fail/{stem}.stderr")).trim_end(),
            "the gallery's copy of tests/ui/fail/{stem}.stderr"
        );
        quoted += 1;
    }
    assert!(
        quoted >= 10,
        "the gallery quotes {quoted} UI tests; its examples were not recognised"
    );
}

#[test]
fn every_guide_page_is_a_module_and_the_readme_links_to_each() {
    let index = read("src/guide/mod.rs");
    let pages: BTreeSet<String> = fs::read_dir(Path::new(ROOT).join("src/guide"))
        .expect("src/guide")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(pages.len() >= 10, "only {pages:?} in src/guide");
    for page in &pages {
        let module = format!("#[doc = include_str!(\"{page}.md\")]\npub mod {page} {{}}");
        assert!(
            index.contains(&module),
            "src/guide/{page}.md is not the module `guide::{page}`"
        );
    }

    // The README's links into the guide are reference definitions at its end,
    // `[label]: https://docs.rs/.../guide/<page>/index.html#fragment`; the crate's
    // docs define each label first, as `guide::<page>#fragment`.
    let lib = read("src/lib.rs");
    let prefix = "https://docs.rs/static-cors/latest/static_cors/guide/";
    let mut linked = BTreeSet::new();
    for line in read("README.md").lines() {
        let Some((label, target)) = line.split_once("]: ") else {
            continue;
        };
        let Some(target) = target.strip_prefix(prefix) else {
            continue;
        };
        let (page, fragment) = target.split_once("/index.html").expect("a page's URL");
        assert!(
            pages.contains(page),
            "the README links to a guide page `{page}` that does not exist"
        );
        let local = format!("#![doc = \"{label}]: guide::{page}{fragment}\"]");
        assert!(
            lib.contains(&local),
            "src/lib.rs does not define `{label}` as `guide::{page}{fragment}`"
        );
        linked.insert(page.to_owned());
    }
    let unlinked: Vec<_> = pages.difference(&linked).collect();
    assert!(
        unlinked.is_empty(),
        "the README links to no guide page {unlinked:?}"
    );
}
