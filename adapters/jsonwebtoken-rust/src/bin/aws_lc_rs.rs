//! The adapter on jsonwebtoken's `aws_lc_rs` backend (the matrix row `jsonwebtoken-rust:aws_lc_rs`).

fn main() {
    jwtc_adapter_jsonwebtoken::main()
}
