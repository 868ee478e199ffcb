//! `jwtc probe`: the suite's verifier cases of a profile (Pomerium, COYO) minted now for a
//! running service's settings and sent to it over HTTP on this machine, each answer graded
//! by the harness like any implementation's. [`target`] checks the URL (this machine only)
//! before anything is sent, [`plan`] mints the cases and decides what each one sends (or
//! why it cannot be sent), [`http`] is the bounded HTTP/1.1 client, [`keyserver`] the
//! local key server the service trusts (and the attacker's origin), over http and https
//! ([`tls`]: its certificate), [`run`] the loop.

pub mod http;
pub mod keyserver;
pub mod plan;
pub mod run;
pub mod signer;
pub mod target;
pub mod tls;
