//! The service's URL, checked before anything is sent: `http://` only, and the host must
//! be this machine (127.0.0.1, localhost or ::1), so a probe never reaches another one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Where the probe's requests go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The address connected to.
    pub addr: SocketAddr,
    /// The path and query of the URL (`/` when it has none).
    pub path: String,
    /// The URL as given.
    pub url: String,
}

/// Parses `url` and refuses any host that is not this machine; the error names the URL and
/// what to give instead.
pub fn parse(url: &str) -> Result<Target, String> {
    let u = url::Url::parse(url).map_err(|e| {
        format!("--url {url:?} is not a URL ({e}); give e.g. http://127.0.0.1:3000/")
    })?;
    if u.scheme() != "http" {
        return Err(format!(
            "--url {url:?}: scheme {:?} is not supported; jwtc probe speaks plain http to a service on this machine (give its http port)",
            u.scheme()
        ));
    }
    let ip = match u.host() {
        Some(url::Host::Ipv4(a)) if a == Ipv4Addr::LOCALHOST => IpAddr::V4(a),
        Some(url::Host::Ipv6(a)) if a == Ipv6Addr::LOCALHOST => IpAddr::V6(a),
        Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        }
        other => {
            return Err(format!(
                "--url {url:?}: host {} is not this machine; jwtc probe only sends to 127.0.0.1, localhost or [::1] (nothing was sent)",
                other.map_or("(none)".to_string(), |h| h.to_string())
            ))
        }
    };
    if !u.username().is_empty() || u.password().is_some() {
        return Err(format!(
            "--url {url:?}: credentials in the URL are not supported"
        ));
    }
    let port = u.port_or_known_default().unwrap_or(80);
    let mut path = u.path().to_owned();
    if let Some(q) = u.query() {
        path.push('?');
        path.push_str(q);
    }
    Ok(Target {
        addr: SocketAddr::new(ip, port),
        path,
        url: url.to_owned(),
    })
}

/// `path` with `name=value` appended to its query (value percent-encoded).
pub fn with_query(path: &str, name: &str, value: &str) -> String {
    let enc: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}{name}={enc}")
}
