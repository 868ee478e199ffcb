//! The adapter on jsonwebtoken's `rust_crypto` backend (the matrix row `jsonwebtoken-rust`).

fn main() {
    jwtc_adapter_jsonwebtoken::main()
}
