//! Which WebAssembly module a page loads, and when: one module per kind of page (`app/islands.txt`: a wizard
//! step, the board, a case), chosen in the browser from the islands the page holds and loaded once the page has
//! been painted; the module of every island when none holds them all; nothing on a page without an island.

use leptos::prelude::*;

/// The modules of the kinds of pages and their islands, as the build reads them (`app/build.rs`).
const ISLANDS_FILE: &str = include_str!("../islands.txt");

/// The name of the file the build writes beside the server's binary (`scripts/lib.sh`,
/// `build_island_modules`): a line `<kind>: <file name without extension>` per module it built.
pub const BUILT_MODULES_FILE: &str = "islands-modules.txt";

/// `(kind of page, islands)` for each line of `app/islands.txt`.
pub fn island_groups() -> Vec<(&'static str, Vec<&'static str>)> {
    ISLANDS_FILE
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (group, islands) = line.split_once(':')?;
            Some((group.trim(), islands.split_whitespace().collect()))
        })
        .collect()
}

/// One module the loader may choose: its script and WebAssembly paths, and the islands it holds (`None`: all).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Module {
    pub js: String,
    pub wasm: String,
    pub islands: Option<Vec<&'static str>>,
}

/// The modules of the kinds of pages found in `built` (the content of [`BUILT_MODULES_FILE`]), in the order of
/// `app/islands.txt`, then `all`, the module of every island.
pub fn modules(pkg: &str, built: &str, all: Module) -> Vec<Module> {
    let files: Vec<(&str, &str)> = built
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, file)| (kind.trim(), file.trim()))
        .filter(|(_, file)| !file.is_empty() && file.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .collect();
    island_groups()
        .into_iter()
        .filter_map(|(group, islands)| {
            let (_, file) = files.iter().find(|(kind, _)| *kind == group)?;
            Some(Module {
                js: format!("/{pkg}/{file}.js"),
                wasm: format!("/{pkg}/{file}.wasm"),
                islands: Some(islands),
            })
        })
        .chain(std::iter::once(all))
        .collect()
}

/// The loader: finds the page's islands (an island's `data-component` is its name, `_`, a number), takes the
/// first module that holds them all, loads it and hydrates each island in the page's order; an island inside
/// another's children first takes that island's reactive owner (the `$$on_hydrate` Leptos puts on the
/// children), so that it reads the context the outer island provides.
pub fn loader_script(modules: &[Module]) -> String {
    let listed = serde_json::to_string(modules)
        .unwrap_or_else(|_| "[]".to_string())
        .replace('<', "\\u003c");
    format!(
        "const modules = {listed};\n\
         const hydrateIslands = () => {{\n\
         const islands = [...document.querySelectorAll(\"leptos-island\")];\n\
         if (islands.length === 0) {{ window.__iafHydrated = true; return; }}\n\
         const names = islands.map((island) => island.dataset.component.replace(/_\\d+$/, \"\"));\n\
         const chosen = modules.find((m) => !m.islands || names.every((name) => m.islands.includes(name)));\n\
         import(chosen.js).then(async (module) => {{\n\
         await module.default({{ module_or_path: chosen.wasm }});\n\
         module.hydrate();\n\
         for (const island of islands) {{\n\
         const hydrateIsland = module[island.dataset.component];\n\
         const children = island.parentElement && island.parentElement.closest(\"leptos-children\");\n\
         if (children && children.$$on_hydrate) children.$$on_hydrate();\n\
         if (hydrateIsland) await hydrateIsland(island); else console.warn(\"Îlot inconnu : \" + island.dataset.component);\n\
         }}\n\
         window.__iafHydrated = true;\n\
         }});\n\
         }};\n\
         const afterPaint = () => requestAnimationFrame(() => setTimeout(hydrateIslands, 0));\n\
         if (document.readyState === \"complete\") afterPaint(); else addEventListener(\"load\", afterPaint, {{ once: true }});"
    )
}

/// Loads the page's WebAssembly module and hydrates its islands once the page has been painted, instead of
/// fetching the module alongside the page's own resources as Leptos' `HydrationScripts` does: the page is
/// readable and usable at once (every form works without JavaScript), and the module no longer competes with
/// what the first paint needs on a slow connection. `window.__iafHydrated` tells end-to-end tests that the page
/// is interactive.
#[component]
pub fn HydrateAfterPaint(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let script = loader_script(&server_modules(&options));
        view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
    }
}

/// The modules this server offers, read once: the kinds' modules listed in [`BUILT_MODULES_FILE`] beside the
/// binary (absent from a build by `cargo leptos` alone: then every page loads the module of every island).
#[cfg(feature = "ssr")]
fn server_modules(options: &LeptosOptions) -> Vec<Module> {
    static MODULES: std::sync::OnceLock<Vec<Module>> = std::sync::OnceLock::new();
    MODULES
        .get_or_init(|| {
            let (js, wasm) = hydration_asset_names(options);
            let pkg = options.site_pkg_dir.to_string();
            let all = Module {
                js: format!("/{pkg}/{js}.js"),
                wasm: format!("/{pkg}/{wasm}.wasm"),
                islands: None,
            };
            let built = if options.hash_files {
                beside_binary(BUILT_MODULES_FILE)
            } else {
                String::new()
            };
            modules(&pkg, &built, all)
        })
        .clone()
}

/// The names (without extension) of the JavaScript and WebAssembly files of the client, as `HydrationScripts`
/// finds them: with a content hash read from the file cargo-leptos writes beside the server binary in release.
#[cfg(feature = "ssr")]
fn hydration_asset_names(options: &LeptosOptions) -> (String, String) {
    let name = options.output_name.to_string();
    if !options.hash_files {
        let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
            name.clone()
        } else {
            format!("{name}_bg")
        };
        return (name, wasm);
    }
    let hashes = beside_binary(&options.hash_file);
    let hash_of = |kind: &str| {
        hashes.lines().find_map(|line| {
            let (file, hash) = line.split_once(':')?;
            (file.trim() == kind).then(|| format!("{name}.{}", hash.trim()))
        })
    };
    (
        hash_of("js").unwrap_or_else(|| name.clone()),
        hash_of("wasm").unwrap_or_else(|| name.clone()),
    )
}

/// A file the build wrote beside the server's binary, empty when there is none.
#[cfg(feature = "ssr")]
fn beside_binary(name: &str) -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Module {
        Module {
            js: "/pkg/ia-factory.A.js".into(),
            wasm: "/pkg/ia-factory.B.wasm".into(),
            islands: None,
        }
    }

    #[test]
    fn the_modules_follow_the_islands_file_and_end_with_the_one_of_every_island() {
        let built = "case: islands-case.c3\nboard: islands-board.b2\nwizard: islands-wizard.a1\n";
        let found = modules("pkg", built, all());
        let kinds: Vec<&str> = found.iter().map(|m| m.js.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "/pkg/islands-wizard.a1.js",
                "/pkg/islands-case.c3.js",
                "/pkg/islands-board.b2.js",
                "/pkg/ia-factory.A.js"
            ]
        );
        assert_eq!(found[2].wasm, "/pkg/islands-board.b2.wasm");
        assert_eq!(found[2].islands, Some(vec!["Board", "MovePageFields"]));
        assert_eq!(found[3], all());
    }

    #[test]
    fn without_built_modules_or_with_odd_names_only_the_module_of_every_island_is_offered() {
        assert_eq!(modules("pkg", "", all()), vec![all()]);
        assert_eq!(modules("pkg", "board: ../x\"y\nwizard:\n", all()), vec![all()]);
    }

    #[test]
    fn the_loader_lists_the_modules_and_cannot_close_its_script() {
        let mut odd = all();
        odd.js = "/pkg/</script>".into();
        let script = loader_script(&[odd]);
        assert!(
            script.starts_with("const modules = [{\"js\":\"/pkg/\\u003c/script>\""),
            "{script}"
        );
        assert!(!script.contains("</script"));
        assert!(script.contains("m.islands.includes(name)"));
    }
}
