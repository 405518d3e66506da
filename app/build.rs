//! Decides which components are islands in this build (`app/islands.txt`): on the server all of them (it renders
//! each island's wrapper); in the browser's module of one kind of page (feature `islands-<kind>`) only that
//! kind's, the others being plain components that the linker leaves out; in the module of every island (feature
//! `hydrate` alone) all of them.

use std::collections::BTreeSet;

fn main() {
    println!("cargo::rerun-if-changed=islands.txt");
    let text = match std::fs::read_to_string("islands.txt") {
        Ok(text) => text,
        Err(error) => {
            println!("cargo::error=app/islands.txt: {error}");
            return;
        }
    };
    let groups: Vec<(String, Vec<String>)> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (group, islands) = line.split_once(':')?;
            Some((
                group.trim().to_string(),
                islands.split_whitespace().map(str::to_string).collect(),
            ))
        })
        .collect();
    let enabled = |feature: &str| {
        std::env::var_os(format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"))).is_some()
    };
    let chosen: Vec<&(String, Vec<String>)> = groups
        .iter()
        .filter(|(group, _)| enabled(&format!("islands-{group}")))
        .collect();
    let every: BTreeSet<&String> = groups.iter().flat_map(|(_, islands)| islands).collect();
    for island in every {
        println!("cargo::rustc-check-cfg=cfg(island_{island})");
        let kept =
            !enabled("hydrate") || chosen.is_empty() || chosen.iter().any(|(_, islands)| islands.contains(island));
        if kept {
            println!("cargo::rustc-cfg=island_{island}");
        }
    }
}
