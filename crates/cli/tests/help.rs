//! The `--help` of `jwtc` and of each subcommand, as the user sees it, pinned by
//! snapshots (tests/snapshots/help__*.snap, one test and one snapshot per command): a
//! change of a flag, its wording or its examples shows in review.

mod common;

use common::{settings, transcript};

/// A test named after the command, whose snapshot is named after the test.
macro_rules! help {
    ($($name:ident: $args:expr;)*) => {$(
        #[test]
        fn $name() {
            let text = transcript($args);
            assert!(text.contains("exit: 0\n"), "{text}");
            settings().bind(|| insta::assert_snapshot!(text));
        }
    )*};
}

help! {
    jwtc: &["--help"];
    check: &["check", "--help"];
    run: &["run", "--help"];
    keys: &["keys", "--help"];
    keys_serve: &["keys", "serve", "--help"];
    probe: &["probe", "--help"];
    attack: &["attack", "--help"];
    explain: &["explain", "--help"];
    vectors: &["vectors", "--help"];
    vectors_export: &["vectors", "export", "--help"];
    completions: &["completions", "--help"];
}
