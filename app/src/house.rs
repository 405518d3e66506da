//! The house's own checks, read from the source tree by `cargo test` (and so by `scripts/check.sh`): the area ×
//! layer table of `docs/architecture.md` is true, no module imports a module that imports it, no source file
//! is over 600 lines before its tests, no function over 120 lines, a case's scope is checked only by the access
//! module, team case URLs are built only by the routes catalogue and every island is in a module of
//! `app/islands.txt`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers of the area table, with their folders from the repository's root.
const LAYERS: [(&str, &str); 6] = [
    ("domain", "app/src/domain"),
    ("model", "app/src/model"),
    ("store", "app/src/store"),
    ("endpoints", "app/src/endpoints"),
    ("pages", "app/src/pages"),
    ("sql", "server/src/sql"),
];

const MAX_LINES: usize = 600;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The code of a file before its test module (`#[cfg(test)]` then `mod …`).
fn before_tests(text: &str) -> &str {
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (index, line) in lines.iter().enumerate() {
        if line.trim_end() == "#[cfg(test)]"
            && lines
                .get(index + 1)
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            return &text[..offset];
        }
        offset += line.len();
    }
    text
}

/// The code without its `//` comments (a `//` inside a string is rare enough in this code base not to matter:
/// it only hides a path from the cycle check).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The production code of the app and the server: (path from the root, code before the tests).
fn sources() -> Vec<(String, String)> {
    let root = repository();
    ["app/src", "server/src"]
        .iter()
        .flat_map(|dir| rust_files(&root.join(dir)))
        .filter(|path| !path.ends_with("house.rs"))
        .map(|path| {
            let shown = path
                .strip_prefix(&root)
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let text = read(&path);
            (shown, before_tests(&text).to_string())
        })
        .collect()
}

/// The area of a layer's entry: a file `x.rs` or a folder `x/`.
fn areas_of(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            if path.is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".rs")
                    .filter(|stem| *stem != "mod")
                    .map(str::to_string)
            }
        })
        .collect()
}

#[test]
fn the_area_table_matches_the_tree() {
    let root = repository();
    let doc = read(&root.join("docs/architecture.md"));
    let table = doc
        .split("<!-- table des domaines : début -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- table des domaines : fin -->").next())
        .expect("docs/architecture.md holds the area table between its markers");
    let mut rows: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), LAYERS.len() + 1, "a row has one cell per layer: {line}");
        let area = cells[0].trim_matches('`').to_string();
        let marks = cells[1..]
            .iter()
            .map(|cell| match *cell {
                "✓" => true,
                "—" => false,
                other => panic!("« {other} » in the row of {area}: write ✓ or —"),
            })
            .collect();
        assert!(rows.insert(area.clone(), marks).is_none(), "{area} is listed twice");
    }
    let mut problems = Vec::new();
    for (column, (layer, dir)) in LAYERS.iter().enumerate() {
        let present = areas_of(&root.join(dir));
        for area in &present {
            match rows.get(area) {
                None => problems.push(format!("{dir}/{area} has no row in the table")),
                Some(marks) if !marks[column] => {
                    problems.push(format!("{dir}/{area} exists but its {layer} cell says —"))
                }
                Some(_) => {}
            }
        }
        for (area, marks) in &rows {
            if marks[column] && !present.contains(area) {
                problems.push(format!(
                    "the table says {area} has a {layer} room, but {dir}/{area} does not exist"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/architecture.md disagrees with the tree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_source_file_is_over_600_lines_before_its_tests() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter(|(_, code)| code.lines().count() > MAX_LINES)
        .map(|(path, code)| format!("{path}: {} lines", code.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "split these where a reader would:\n{}",
        long.join("\n")
    );
}

/// The longest a function may be, in lines (a longer one is split where a reader would).
const MAX_FUNCTION_LINES: usize = 120;

/// The name of the function a line of code declares, if it does (`pub async fn name(`).
fn declared_function(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
        "extern \"C\" ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("async ").unwrap_or(rest).strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

/// A line without its string literals, its brace characters (`'{'`) and its `//` comment, for counting braces.
fn braces_of(line: &str) -> String {
    let line = line.replace("'{'", "").replace("'}'", "");
    let mut kept = String::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut previous = ' ';
    for c in line.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '/' && previous == '/' {
            kept.pop();
            break;
        } else {
            kept.push(c);
        }
        previous = c;
    }
    kept
}

/// The functions of `code` longer than `limit` lines: (first line, name, lines).
fn long_functions(code: &str, limit: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut long = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = declared_function(lines[i]).filter(|_| !lines[i].trim_end().ends_with(';')) else {
            i += 1;
            continue;
        };
        let (mut depth, mut started, mut j) = (0i64, false, i);
        while j < lines.len() {
            let kept = braces_of(lines[j]);
            depth += kept.matches('{').count() as i64 - kept.matches('}').count() as i64;
            started |= kept.contains('{');
            if (started && depth <= 0) || (!started && kept.trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        let length = j.min(lines.len() - 1) - i + 1;
        if length > limit {
            long.push((i + 1, name.to_string(), length));
        }
        i = if started { j + 1 } else { i + 1 };
    }
    long
}

#[test]
fn no_function_is_over_120_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .flat_map(|(path, code)| {
            long_functions(&code, MAX_FUNCTION_LINES)
                .into_iter()
                .map(move |(line, name, length)| format!("{path}:{line} {name}: {length} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these where a reader would:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_function_length_check_counts_a_function_to_its_closing_brace() {
    let code =
        "pub async fn short() {\n    let s = \"{\"; s.contains('{');\n}\n\nfn long() {\n    a();\n    b(); // }\n}\n";
    assert_eq!(long_functions(code, 3), vec![(5, "long".to_string(), 4)]);
    assert!(long_functions(code, 4).is_empty());
    assert_eq!(
        declared_function("    pub(crate) async fn gate_record_in("),
        Some("gate_record_in")
    );
    assert_eq!(declared_function("let f = fnord();"), None);
}

/// The lines of production code where `needle` appears, outside the files `allowed`.
fn occurrences(needle: &str, allowed: &[&str], within: &[&str]) -> Vec<String> {
    sources()
        .into_iter()
        .filter(|(path, _)| within.iter().any(|dir| path.starts_with(dir)))
        .filter(|(path, _)| !allowed.iter().any(|a| path.ends_with(a)))
        .flat_map(|(path, code)| {
            code.lines()
                .enumerate()
                .filter(|(_, line)| line.contains(needle) && !line.trim_start().starts_with("//"))
                .map(|(n, line)| format!("{path}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_case_scope_is_checked_only_by_the_access_module() {
    // The needles are spelled in two parts so that this file does not match the greps it stands for.
    for needle in [
        [".se", "es("].concat(),
        ["check_", "visible("].concat(),
        "Scope::All =>".to_string(),
    ] {
        let found = occurrences(&needle, &["app/src/domain/access.rs"], &["app/src", "server/src"]);
        assert!(
            found.is_empty(),
            "scope checked by hand (use server::access):\n{}",
            found.join("\n")
        );
    }
    // Who a viewer is and what it may reach are decided in the access modules (and, for the followers emailed
    // inside a message's transaction, in its SQL).
    let deciders = [
        "app/src/domain/access.rs",
        "app/src/server/access.rs",
        "server/src/sql/messages.rs",
        "server/src/sql/privacy.rs",
    ];
    for needle in [
        "Viewer::team(",
        "Viewer::Link",
        "Viewer::Agent",
        "VisibleCase::grant(",
        "VisibleDraft::grant(",
        "VisibleDeployment::grant(",
    ] {
        let found = occurrences(needle, &deciders, &["app/src", "server/src"]);
        assert!(
            found.is_empty(),
            "a viewer made or a case granted by hand:\n{}",
            found.join("\n")
        );
    }
    let found = occurrences(
        "VisibleCase::for_system",
        &[],
        &[
            "app/src/endpoints",
            "app/src/pages",
            "app/src/server",
            "server/src/http",
        ],
    );
    assert!(
        found.is_empty(),
        "a request reaches a case without its viewer:\n{}",
        found.join("\n")
    );
}

#[test]
fn team_case_urls_are_built_only_by_the_routes_module() {
    let needle = ["/equipe", "/cas/"].concat();
    // The routes catalogue is the folder `app/src/routes/`: the addresses in mod.rs, the plan du site beside.
    let found: Vec<String> = occurrences(&needle, &[], &["app/src", "server/src"])
        .into_iter()
        .filter(|line| !line.starts_with("app/src/routes/"))
        .collect();
    assert!(found.is_empty(), "build these with app::routes:\n{}", found.join("\n"));
}

/// A module's path segments (`["domain", "access"]`) from its file under a crate's source folder.
fn module_of(src: &Path, file: &Path) -> Option<Vec<String>> {
    let relative = file.strip_prefix(src).ok()?.with_extension("");
    let mut segments: Vec<String> = relative.iter().map(|s| s.to_string_lossy().to_string()).collect();
    if segments.first().is_some_and(|s| s == "bin") {
        return None;
    }
    if segments.last().is_some_and(|s| s == "mod") || segments == ["lib"] || segments == ["main"] {
        segments.pop();
    }
    Some(segments)
}

/// The identifier path that starts at `text` (`a::b::c`), with the items of a `{…}` group after it, each as a
/// full path.
fn paths_at(text: &str) -> Vec<Vec<String>> {
    let ident_len = |s: &str| s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    let mut prefix = Vec::new();
    let mut rest = text;
    loop {
        let n = ident_len(rest);
        if n == 0 {
            break;
        }
        prefix.push(rest[..n].to_string());
        rest = &rest[n..];
        match rest.strip_prefix("::") {
            Some(after) => rest = after,
            None => return vec![prefix],
        }
    }
    let Some(group) = rest.strip_prefix('{') else {
        return vec![prefix];
    };
    let mut depth = 0;
    let mut items = Vec::new();
    let mut start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .flat_map(|item| {
            paths_at(item).into_iter().map(|tail| {
                let mut full = prefix.clone();
                full.extend(tail.into_iter().filter(|s| s != "self"));
                full
            })
        })
        .collect()
}

/// The modules `here` uses through `crate::` and `super::` paths.
fn uses_of(modules: &BTreeSet<Vec<String>>, here: &[String], code: &str) -> BTreeSet<Vec<String>> {
    let code = without_comments(code);
    let mut used = BTreeSet::new();
    for anchor in ["crate::", "super::"] {
        for (at, _) in code.match_indices(anchor) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            for path in paths_at(&code[at + anchor.len()..]) {
                let mut target: Vec<String> = if anchor == "crate::" {
                    Vec::new()
                } else {
                    here[..here.len().saturating_sub(1)].to_vec()
                };
                let mut segments = path.as_slice();
                while segments.first().is_some_and(|s| s == "super") {
                    target.pop();
                    segments = &segments[1..];
                }
                target.extend(segments.iter().cloned());
                let module = (0..=target.len())
                    .rev()
                    .map(|n| target[..n].to_vec())
                    .find(|prefix| modules.contains(prefix))
                    .unwrap_or_default();
                // A module naming its own ancestor (`super::Item`) is not a cycle: parents declare their children.
                if !module.is_empty() && !here.starts_with(&module) {
                    used.insert(module);
                }
            }
        }
    }
    used
}

#[test]
fn no_module_imports_a_module_that_imports_it() {
    let root = repository();
    let mut cycles = Vec::new();
    for src in ["app/src", "server/src"] {
        let src = root.join(src);
        let files: BTreeMap<Vec<String>, PathBuf> = rust_files(&src)
            .into_iter()
            .filter_map(|file| Some((module_of(&src, &file)?, file)))
            .collect();
        let modules: BTreeSet<Vec<String>> = files.keys().cloned().collect();
        let graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = files
            .iter()
            .map(|(module, file)| (module.clone(), uses_of(&modules, module, before_tests(&read(file)))))
            .collect();
        for start in graph.keys() {
            // A path back to `start` from one of the modules it uses.
            let mut seen = BTreeSet::new();
            let mut stack: Vec<(Vec<String>, Vec<Vec<String>>)> = graph[start]
                .iter()
                .map(|next| (next.clone(), vec![start.clone()]))
                .collect();
            while let Some((module, trail)) = stack.pop() {
                if &module == start {
                    let names: Vec<String> = trail.iter().map(|m| m.join("::")).collect();
                    cycles.push(format!(
                        "{}: {} → {}",
                        src.display(),
                        names.join(" → "),
                        start.join("::")
                    ));
                    break;
                }
                if !seen.insert(module.clone()) {
                    continue;
                }
                for next in graph.get(&module).into_iter().flatten() {
                    let mut longer = trail.clone();
                    longer.push(module.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that import each other:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_cycle_check_sees_a_cycle_through_groups_and_super() {
    let modules: BTreeSet<Vec<String>> = [vec!["a".to_string()], vec!["a".into(), "b".into()], vec!["c".into()]]
        .into_iter()
        .collect();
    let used = uses_of(
        &modules,
        &["a".to_string(), "b".to_string()],
        "use crate::{c::Thing, a::Other};\nfn f() { super::helper(); } // crate::ignored::x",
    );
    // `super::helper` and `crate::a::Other` name the parent itself, which declares its child: not a cycle.
    assert_eq!(used, [vec!["c".to_string()]].into_iter().collect());
    let from_a = uses_of(&modules, &["a".to_string()], "use crate::a::b::{self, Item};");
    assert_eq!(from_a, [vec!["a".to_string(), "b".to_string()]].into_iter().collect());
}

/// Every island of the sources is listed in `app/islands.txt`, declared with its cfg pair (an island in the
/// modules that hold it, a plain component elsewhere), and each kind of page has its crate and feature.
#[test]
fn every_island_of_the_sources_is_in_a_module_and_declared_for_it() {
    let root = repository().join("app");
    let mut declared = BTreeSet::new();
    for file in rust_files(&root.join("src"))
        .iter()
        .filter(|f| !f.ends_with("house.rs"))
    {
        let text = std::fs::read_to_string(file).expect("source");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (index, line) in lines.iter().enumerate() {
            assert!(
                !line.starts_with("#[island"),
                "{}: an island is declared with its cfg pair",
                file.display()
            );
            if let Some(name) = line
                .strip_prefix("#[cfg_attr(island_")
                .and_then(|r| r.strip_suffix(", island)]"))
            {
                let next = format!("#[cfg_attr(not(island_{name}), component)]");
                assert_eq!(lines.get(index + 1), Some(&next.as_str()), "{}", file.display());
                assert!(
                    lines.get(index + 2).is_some_and(|l| l.contains(&format!("fn {name}("))),
                    "{name}"
                );
                declared.insert(name.to_string());
            }
        }
    }
    let listed: BTreeSet<String> = crate::loader::island_groups()
        .into_iter()
        .flat_map(|(_, islands)| islands)
        .map(str::to_string)
        .collect();
    assert_eq!(
        declared, listed,
        "app/islands.txt lists exactly the islands of the sources"
    );
    assert!(declared.len() >= 5, "{declared:?}");
    let features = std::fs::read_to_string(root.join("Cargo.toml")).expect("app/Cargo.toml");
    for (group, _) in crate::loader::island_groups() {
        assert!(
            features.contains(&format!("islands-{group} = [\"hydrate\"]")),
            "feature islands-{group}"
        );
        let krate = std::fs::read_to_string(root.join(format!("../islands/{group}/Cargo.toml"))).expect("crate");
        assert!(krate.contains(&format!("name = \"islands-{group}\"")), "{group}");
        assert!(krate.contains(&format!("features = [\"islands-{group}\"]")), "{group}");
    }
}
