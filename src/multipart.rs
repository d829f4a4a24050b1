//! `multipart/form-data` bodies (RFC 7578) for file uploads such as OpenAI's
//! `/audio/transcriptions`. The body is built once as bytes, so a retried
//! request sends the same bytes again.

use bytes::Bytes;
use reqwest::header::HeaderValue;
use serde_json::{Map, Value};

use crate::error::{Error, Kind};

/// A file sent with a request: the form field, the file name the server sees,
/// its media type and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub field: String,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// Encode `fields` (a JSON object: strings as they are, numbers and booleans
/// as their JSON text, arrays as repeated `name[]` parts as the openai SDK
/// sends them, objects as JSON) and `files` into a multipart body; returns the
/// body and its `Content-Type` header value.
pub fn encode(
    fields: &Map<String, Value>,
    files: &[Upload],
) -> Result<(Bytes, HeaderValue), Error> {
    let boundary = boundary();
    let mut out: Vec<u8> =
        Vec::with_capacity(files.iter().map(|f| f.data.len()).sum::<usize>() + 512);
    let mut part = |name: &str, filename: Option<(&str, &str)>, data: &[u8]| {
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        out.extend_from_slice(escape(name).as_bytes());
        out.push(b'"');
        if let Some((file, ctype)) = filename {
            out.extend_from_slice(b"; filename=\"");
            out.extend_from_slice(escape(file).as_bytes());
            out.extend_from_slice(b"\"\r\nContent-Type: ");
            out.extend_from_slice(ctype.as_bytes());
        }
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    };
    for (name, value) in fields {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                let name = format!("{name}[]");
                for item in items {
                    part(&name, None, text(item).as_bytes());
                }
            }
            other => part(name, None, text(other).as_bytes()),
        }
    }
    for f in files {
        part(&f.field, Some((&f.filename, &f.content_type)), &f.data);
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    let ctype = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
        .map_err(|_| Error::new(Kind::BadRequest, "cannot build the multipart header"))?;
    Ok((Bytes::from(out), ctype))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Quotes and line breaks cannot appear inside a quoted header parameter.
fn escape(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A boundary that differs between requests (not cryptographic).
fn boundary() -> String {
    use std::hash::BuildHasher;
    let a = std::collections::hash_map::RandomState::new().hash_one(1u8);
    let b = std::collections::hash_map::RandomState::new().hash_one(2u8);
    format!("elc-{a:016x}{b:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_files_and_arrays_are_parts() {
        let fields = serde_json::json!({
            "model": "whisper-1",
            "temperature": 0.5,
            "timestamp_granularities": ["word", "segment"],
            "prompt": null,
        });
        let Value::Object(fields) = fields else {
            unreachable!()
        };
        let file = Upload {
            field: "file".into(),
            filename: "a\"b.wav".into(),
            content_type: "audio/wav".into(),
            data: b"RIFF\x00\x01".to_vec(),
        };
        let (body, ctype) = encode(&fields, &[file]).unwrap();
        let ctype = ctype.to_str().unwrap().to_owned();
        let sep = ctype.split("boundary=").nth(1).unwrap();
        let body = body.to_vec();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{sep}\r\n")));
        assert!(text.ends_with(&format!("--{sep}--\r\n")));
        assert!(text.contains("name=\"model\"\r\n\r\nwhisper-1\r\n"));
        assert!(text.contains("name=\"temperature\"\r\n\r\n0.5\r\n"));
        assert_eq!(
            text.matches("name=\"timestamp_granularities[]\"").count(),
            2
        );
        assert!(!text.contains("prompt"));
        assert!(text.contains(
            "name=\"file\"; filename=\"a%22b.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF"
        ));
        assert_ne!(boundary(), boundary());
    }
}
