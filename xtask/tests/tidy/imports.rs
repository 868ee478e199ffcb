//! The import rule: between the top-level modules of a crate, no cycle. Edges are read
//! from the text (`crate::x`, grouped `crate::{x, y}`), cycles found as strongly
//! connected components.

use std::collections::{BTreeMap, BTreeSet};

/// The top-level modules a crate's files import from one another: (module, file text)
/// in, module → the set of other modules it names as `crate::x` (a `use` or a path in
/// code, grouped imports `crate::{x, y}` too); comments and docs are ignored. The one
/// import rule of the project: between the top-level modules of a crate, no cycle.
pub fn module_edges(files: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<&str> = files.iter().map(|(m, _)| *m).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in files {
        let entry = edges.entry((*module).to_owned()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(at) = rest.find("crate::") {
                let after = &rest[at + "crate::".len()..];
                for name in first_segments(after) {
                    if name != *module && modules.contains(name.as_str()) {
                        entry.insert(name);
                    }
                }
                rest = after;
            }
        }
    }
    edges
}

/// The first path segment after `crate::`: one name, or each item of a `{…}` group.
pub fn first_segments(after: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    if let Some(group) = after.strip_prefix('{') {
        let mut depth = 0usize;
        let mut items = vec![String::new()];
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => items.push(String::new()),
                _ => {}
            }
            if let Some(last) = items.last_mut() {
                if c != ',' || depth > 0 {
                    last.push(c);
                }
            }
        }
        items
            .iter()
            .map(|i| ident(i))
            .filter(|i| !i.is_empty())
            .collect()
    } else {
        vec![ident(after)]
            .into_iter()
            .filter(|i| !i.is_empty())
            .collect()
    }
}

/// The cycles of a module graph, each as its modules in order.
pub fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's strongly connected components; every component of two or more modules
    // is an import loop.
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v.as_str());
        }
    }
    s.found
}

/// The top-level module a file of a crate's `src/` belongs to: `a.rs` and `a/**` are `a`;
/// the crate root (`lib.rs`, `main.rs`) and `bin/` (other crates) are none.
pub fn top_module(rel: &str) -> Option<&str> {
    let first = rel.split('/').next()?;
    if first == "lib.rs" || first == "main.rs" || first == "bin" {
        return None;
    }
    Some(first.strip_suffix(".rs").unwrap_or(first))
}

#[cfg(test)]
mod planted {
    use super::*;

    #[test]
    fn planted_import_loop_is_caught() {
        let leaf = [
            ("alg", "use crate::error::Error;"),
            ("keys", "use crate::{alg::Alg, error::Error};"),
            ("error", "// crate::keys is named in a comment only"),
        ];
        assert!(cycles(&module_edges(&leaf)).is_empty());
        let looped = [
            ("alg", "fn f(m: &crate::keys::Material) {}"),
            ("keys", "use crate::{alg::{Alg, Other}, error::Error};"),
            ("error", ""),
        ];
        assert_eq!(
            cycles(&module_edges(&looped)),
            [vec!["alg".to_owned(), "keys".to_owned()]]
        );
        let three = [
            ("a", "use crate::b;"),
            ("b", "use crate::c::X;"),
            ("c", "crate::a::f();"),
        ];
        assert_eq!(cycles(&module_edges(&three)).len(), 1);
    }

    #[test]
    fn top_modules_of_files() {
        assert_eq!(top_module("lib.rs"), None);
        assert_eq!(top_module("bin/fake.rs"), None);
        assert_eq!(top_module("keys.rs"), Some("keys"));
        assert_eq!(top_module("json/scan.rs"), Some("json"));
    }
}
