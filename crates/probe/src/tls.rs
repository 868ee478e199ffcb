//! The key server's certificate, made at start: a CA ("jwtc probe key server CA") and a
//! leaf for `localhost`, `127.0.0.1` and `::1` signed by it. The CA's key is kept beside the
//! CA file (`ca.pem` → `ca.pem.key`, owner-only) and reused while it is there, so a service
//! started trusting the CA file keeps trusting the next run's certificate (`jwtc keys serve`,
//! then `jwtc probe`); the leaf's key is fresh each run. Nothing is checked in.
//! Built with the feature `tls` (default); without it [`Tls::make`] says so.

use std::path::{Path, PathBuf};
#[cfg(feature = "tls")]
use std::sync::Arc;

/// The server side of the key server's https origins.
pub struct Tls {
    /// What a TLS connection is accepted with.
    #[cfg(feature = "tls")]
    pub config: Arc<rustls::ServerConfig>,
    /// The CA certificate, PEM: what the service must trust.
    pub ca_pem: String,
    /// Where the CA certificate was written.
    pub ca_file: PathBuf,
}

#[cfg(feature = "tls")]
impl Tls {
    /// Makes the CA and the leaf, writes the CA's PEM to `ca_file` (its directory made if
    /// missing); the error names the step and the file.
    pub fn make(ca_file: &Path) -> Result<Tls, String> {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let fail = |what: &str, e: rcgen::Error| format!("key server certificate: {what}: {e}");
        let ca_key = ca_key(ca_file)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(|e| fail("CA", e))?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "jwtc probe key server CA");
        let ca_cert = ca.self_signed(&ca_key).map_err(|e| fail("CA", e))?;
        let leaf_key = KeyPair::generate().map_err(|e| fail("leaf key", e))?;
        let mut leaf = CertificateParams::new(vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "::1".to_string(),
        ])
        .map_err(|e| fail("leaf", e))?;
        leaf.distinguished_name
            .push(DnType::CommonName, "jwtc probe key server");
        let leaf_cert = leaf
            .signed_by(&leaf_key, &ca_cert, &ca_key)
            .map_err(|e| fail("leaf", e))?;
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
        // ring's provider lacks post-quantum key exchange (hence its deprecation); a key
        // server on 127.0.0.1 for a test run does not need it.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("key server TLS configuration: {e}"))?
            .with_no_client_auth()
            .with_single_cert(vec![leaf_cert.der().clone(), ca_cert.der().clone()], key)
            .map_err(|e| format!("key server TLS configuration: {e}"))?;
        let ca_pem = ca_cert.pem();
        if let Some(dir) = ca_file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!(
                    "key server: cannot make {} for the CA certificate: {e}",
                    dir.display()
                )
            })?;
        }
        std::fs::write(ca_file, &ca_pem).map_err(|e| {
            format!(
                "key server: cannot write the CA certificate to {}: {e}",
                ca_file.display()
            )
        })?;
        Ok(Tls {
            config: Arc::new(config),
            ca_pem,
            ca_file: ca_file.to_owned(),
        })
    }
}

/// The CA's key: the one kept beside `ca_file` when there is one, else a new one, kept.
#[cfg(feature = "tls")]
fn ca_key(ca_file: &Path) -> Result<rcgen::KeyPair, String> {
    let path = key_file(ca_file);
    if let Ok(pem) = std::fs::read_to_string(&path) {
        return rcgen::KeyPair::from_pem(&pem).map_err(|e| {
            format!(
                "key server: {} is not the CA's key ({e}); remove it to make a new CA",
                path.display()
            )
        });
    }
    let key =
        rcgen::KeyPair::generate().map_err(|e| format!("key server certificate: CA key: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("key server: cannot make {}: {e}", dir.display()))?;
    }
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut f = open.open(&path).map_err(|e| {
        format!(
            "key server: cannot write the CA's key to {}: {e}",
            path.display()
        )
    })?;
    std::io::Write::write_all(&mut f, key.serialize_pem().as_bytes()).map_err(|e| {
        format!(
            "key server: cannot write the CA's key to {}: {e}",
            path.display()
        )
    })?;
    Ok(key)
}

/// Where the CA's key is kept: beside the CA file, `.key` appended.
pub fn key_file(ca_file: &Path) -> PathBuf {
    let mut name = ca_file.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

#[cfg(not(feature = "tls"))]
impl Tls {
    /// Without the feature `tls`: an error saying how to get it.
    pub fn make(ca_file: &Path) -> Result<Tls, String> {
        Err(format!(
            "the key server's https origins need jwtc built with the feature `tls` (the default); not writing {}",
            ca_file.display()
        ))
    }
}

/// Where the CA certificate goes when not given: a directory of this process under the
/// system's temporary directory.
pub fn default_ca_file() -> PathBuf {
    std::env::temp_dir()
        .join(format!("jwtc-keys-{}", std::process::id()))
        .join("ca.pem")
}
