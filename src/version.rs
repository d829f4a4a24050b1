//! The package version: Cargo's semver mapped to PEP 440, as maturin writes it into
//! the wheel's metadata (`0.2.0-alpha.1` → `0.2.0a1`, `1.0.0-rc.2` → `1.0.0rc2`).

/// Maps a Cargo (semver) version to its normalized PEP 440 form.
///
/// Pre-release labels follow PEP 440's normalization: `alpha`/`a` → `a`, `beta`/`b` → `b`,
/// `rc`/`c`/`pre`/`preview` → `rc`, `dev` → `.dev`, `post` → `.post`; a label without a number
/// takes 0. Build metadata (`+x-y`) becomes a local version (`+x.y`). A label PEP 440 does not
/// know is kept as written (maturin would refuse to build such a version anyway).
pub fn pep440(cargo: &str) -> String {
    let (core, build) = match cargo.split_once('+') {
        Some((core, build)) => (core, Some(build)),
        None => (cargo, None),
    };
    let (release, pre) = match core.split_once('-') {
        Some((release, pre)) => (release, Some(pre)),
        None => (core, None),
    };
    let mut out = release.to_owned();
    if let Some(pre) = pre {
        let mut tokens = pre.split('.').peekable();
        while let Some(token) = tokens.next() {
            let split = token.find(|c: char| c.is_ascii_digit());
            let (label, mut digits) = token.split_at(split.unwrap_or(token.len()));
            if digits.is_empty() {
                let numeric = |t: &&str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
                digits = tokens.next_if(numeric).unwrap_or("0");
            }
            let number = match digits.trim_start_matches('0') {
                "" => "0",
                n => n,
            };
            let label = match label.to_ascii_lowercase().as_str() {
                "alpha" | "a" => "a",
                "beta" | "b" => "b",
                "rc" | "c" | "pre" | "preview" => "rc",
                "dev" => ".dev",
                "post" => ".post",
                _ => return cargo.to_owned(),
            };
            out.push_str(label);
            out.push_str(number);
        }
    }
    if let Some(build) = build {
        out.push('+');
        out.push_str(&build.replace(['-', '_'], "."));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pep440;

    #[test]
    fn maps_semver_to_pep440() {
        for (cargo, python) in [
            ("0.1.0", "0.1.0"),
            ("0.2.0-alpha.1", "0.2.0a1"),
            ("0.2.0-alpha1", "0.2.0a1"),
            ("0.2.0-alpha", "0.2.0a0"),
            ("1.0.0-beta.2", "1.0.0b2"),
            ("1.0.0-b.02", "1.0.0b2"),
            ("1.0.0-rc.3", "1.0.0rc3"),
            ("1.0.0-pre.1", "1.0.0rc1"),
            ("1.0.0-dev.4", "1.0.0.dev4"),
            ("1.0.0-rc.1.dev.2", "1.0.0rc1.dev2"),
            ("1.0.0-post.1", "1.0.0.post1"),
            ("1.0.0+build-7", "1.0.0+build.7"),
            ("1.0.0-unknown.1", "1.0.0-unknown.1"),
        ] {
            assert_eq!(pep440(cargo), python, "{cargo}");
        }
    }
}
