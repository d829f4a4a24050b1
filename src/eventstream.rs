//! Incremental decoder of AWS's binary event stream
//! (`application/vnd.amazon.eventstream`), the body of Bedrock's
//! `converse-stream` and `invoke-with-response-stream` (bytes in, messages out).
//!
//! Wire format (docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html,
//! "event stream encoding", the same framing every AWS streaming API uses): each
//! message is a 12-byte prelude (total length u32 BE, headers length u32 BE,
//! CRC32 of those 8 bytes u32 BE), the headers, the payload, and a CRC32 of
//! everything before it (u32 BE). A header is a name length (u8), the name,
//! a value type (u8) and the value: 0/1 boolean true/false (no bytes), 2 byte,
//! 3 short, 4 integer, 5 long, 6 byte array (u16 length + bytes), 7 string
//! (u16 length + UTF-8), 8 timestamp (i64 ms), 9 UUID (16 bytes).
//!
//! Reads may split a message anywhere. A failed CRC or a malformed message ends
//! the stream: its error is returned once, after every message before it, and
//! nothing more is decoded (framing cannot be recovered).

use crate::error::{Error, Kind};

/// The prelude: total length, headers length, prelude CRC.
const PRELUDE: usize = 12;
/// Prelude plus the trailing message CRC.
const OVERHEAD: usize = PRELUDE + 4;
/// The largest message we accept (AWS's limit is 16 MiB of payload plus 128 KiB of headers).
const MAX_MESSAGE: usize = 16 * 1024 * 1024 + 128 * 1024 + OVERHEAD;

/// One decoded message: its string headers (other header types are parsed and
/// skipped) and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub headers: Vec<(String, String)>,
    pub payload: Vec<u8>,
}

impl Message {
    /// The string header `name` (e.g. `:message-type`, `:event-type`, `:exception-type`).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Feed it the body as it arrives; it returns every message completed so far,
/// then at most one error.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    failed: bool,
}

fn broken(what: impl std::fmt::Display) -> Error {
    Error::new(
        Kind::Api,
        format!("the provider sent a malformed event stream: {what}"),
    )
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decode `bytes`: the messages they complete, in order; a framing or CRC
    /// fault is the last item, and the decoder stays failed.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Result<Message, Error>> {
        let mut out = Vec::new();
        if self.failed {
            return out;
        }
        self.buf.extend_from_slice(bytes);
        let mut start = 0;
        while self.buf.len() - start >= PRELUDE {
            let rest = &self.buf[start..];
            let total = be32(&rest[0..4]) as usize;
            let headers_len = be32(&rest[4..8]) as usize;
            if crc32fast::hash(&rest[0..8]) != be32(&rest[8..12]) {
                out.push(Err(broken("prelude CRC mismatch")));
                self.failed = true;
                break;
            }
            if !(OVERHEAD..=MAX_MESSAGE).contains(&total) || headers_len > total - OVERHEAD {
                out.push(Err(broken(format!(
                    "message length {total} with headers length {headers_len}"
                ))));
                self.failed = true;
                break;
            }
            if rest.len() < total {
                break;
            }
            let msg = &rest[..total];
            let (body, crc) = msg.split_at(total - 4);
            if crc32fast::hash(body) != be32(crc) {
                out.push(Err(broken("message CRC mismatch")));
                self.failed = true;
                break;
            }
            let headers = &body[PRELUDE..PRELUDE + headers_len];
            match parse_headers(headers) {
                Ok(headers) => out.push(Ok(Message {
                    headers,
                    payload: body[PRELUDE + headers_len..].to_vec(),
                })),
                Err(e) => {
                    out.push(Err(e));
                    self.failed = true;
                    break;
                }
            }
            start += total;
        }
        if self.failed {
            self.buf = Vec::new();
        } else {
            self.buf.drain(..start);
        }
        out
    }

    /// The body ended: an error if a message was left incomplete.
    pub fn finish(&mut self) -> Option<Result<Message, Error>> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let left = std::mem::take(&mut self.buf).len();
        self.failed = true;
        Some(Err(broken(format!(
            "the body ended inside a message ({left} bytes left over)"
        ))))
    }
}

/// The headers block → its string headers, in order.
fn parse_headers(mut b: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    let take = |b: &mut &[u8], n: usize| -> Result<Vec<u8>, Error> {
        if b.len() < n {
            return Err(broken("a header runs past the headers block"));
        }
        let (head, tail) = b.split_at(n);
        *b = tail;
        Ok(head.to_vec())
    };
    while !b.is_empty() {
        let name_len = take(&mut b, 1)?[0] as usize;
        let name = String::from_utf8(take(&mut b, name_len)?)
            .map_err(|_| broken("a header name is not UTF-8"))?;
        let kind = take(&mut b, 1)?[0];
        let fixed = match kind {
            0 | 1 => Some(0),
            2 => Some(1),
            3 => Some(2),
            4 => Some(4),
            5 | 8 => Some(8),
            9 => Some(16),
            6 | 7 => None,
            other => return Err(broken(format!("unknown header value type {other}"))),
        };
        match fixed {
            Some(n) => {
                take(&mut b, n)?;
            }
            None => {
                let len = take(&mut b, 2)?;
                let value = take(&mut b, u16::from_be_bytes([len[0], len[1]]) as usize)?;
                if kind == 7 {
                    let value = String::from_utf8(value)
                        .map_err(|_| broken("a string header is not UTF-8"))?;
                    out.push((name, value));
                }
            }
        }
    }
    Ok(out)
}

/// Encode one message with string headers (tests and the fake servers' format).
#[cfg(test)]
pub fn encode(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut h = Vec::new();
    for (k, v) in headers {
        h.push(k.len() as u8);
        h.extend_from_slice(k.as_bytes());
        h.push(7);
        h.extend_from_slice(&(v.len() as u16).to_be_bytes());
        h.extend_from_slice(v.as_bytes());
    }
    let total = (OVERHEAD + h.len() + payload.len()) as u32;
    let mut m = Vec::new();
    m.extend_from_slice(&total.to_be_bytes());
    m.extend_from_slice(&(h.len() as u32).to_be_bytes());
    let crc = crc32fast::hash(&m);
    m.extend_from_slice(&crc.to_be_bytes());
    m.extend_from_slice(&h);
    m.extend_from_slice(payload);
    let crc = crc32fast::hash(&m);
    m.extend_from_slice(&crc.to_be_bytes());
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, payload: &str) -> Vec<u8> {
        encode(
            &[
                (":event-type", kind),
                (":content-type", "application/json"),
                (":message-type", "event"),
            ],
            payload.as_bytes(),
        )
    }

    fn all(parts: &[&[u8]]) -> Vec<Result<Message, String>> {
        let mut d = Decoder::new();
        let mut out: Vec<_> = parts.iter().flat_map(|p| d.feed(p)).collect();
        out.extend(d.finish());
        out.into_iter()
            .map(|r| r.map_err(|e| e.message.clone()))
            .collect()
    }

    #[test]
    fn known_bytes_of_a_message_decode() {
        // aws-c-event-stream's encoder test vector: no headers, payload
        // `{'foo':'bar'}`, total 0x1d, prelude CRC 0xfd528c5a, message CRC
        // 0xc3653936 (also what Python's zlib.crc32 gives for these bytes).
        let mut bytes = vec![0, 0, 0, 0x1d, 0, 0, 0, 0, 0xfd, 0x52, 0x8c, 0x5a];
        bytes.extend_from_slice(b"{'foo':'bar'}");
        bytes.extend_from_slice(&[0xc3, 0x65, 0x39, 0x36]);
        assert_eq!(
            all(&[&bytes]),
            vec![Ok(Message {
                headers: vec![],
                payload: b"{'foo':'bar'}".to_vec()
            })]
        );
    }

    #[test]
    fn every_split_decodes_the_same() {
        let mut body = event("messageStart", r#"{"role":"assistant"}"#);
        body.extend(event(
            "contentBlockDelta",
            r#"{"contentBlockIndex":0,"delta":{"text":"Hé"}}"#,
        ));
        // Non-string headers are parsed and skipped.
        let mut h = vec![4u8];
        h.extend_from_slice(b"flag");
        h.push(0);
        h.push(3);
        h.extend_from_slice(b"num");
        h.push(4);
        h.extend_from_slice(&7u32.to_be_bytes());
        let total = (OVERHEAD + h.len() + 2) as u32;
        let mut m = total.to_be_bytes().to_vec();
        m.extend_from_slice(&(h.len() as u32).to_be_bytes());
        m.extend_from_slice(&crc32fast::hash(&m.clone()).to_be_bytes());
        m.extend_from_slice(&h);
        m.extend_from_slice(b"{}");
        m.extend_from_slice(&crc32fast::hash(&m.clone()).to_be_bytes());
        body.extend(m);
        let whole = all(&[&body]);
        assert_eq!(whole.len(), 3);
        let first = whole[0].as_ref().unwrap();
        assert_eq!(first.header(":event-type"), Some("messageStart"));
        assert_eq!(first.header(":message-type"), Some("event"));
        assert_eq!(first.payload, br#"{"role":"assistant"}"#);
        assert!(whole[2].as_ref().unwrap().headers.is_empty());
        for cut in 0..=body.len() {
            assert_eq!(all(&[&body[..cut], &body[cut..]]), whole, "cut at {cut}");
        }
        for a in (0..body.len()).step_by(3) {
            for b in a..body.len() {
                let parts = [&body[..a], &body[a..b], &body[b..]];
                assert_eq!(all(&parts), whole, "cuts at {a} and {b}");
            }
        }
        let bytewise: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(all(&bytewise), whole);
    }

    #[test]
    fn crc_faults_end_the_stream_after_the_messages_before_them() {
        let good = event("messageStart", "{}");
        for (what, flip) in [
            ("prelude CRC", 9usize),
            ("message CRC", good.len() - 1),
            ("message CRC", good.len() - 6),
        ] {
            let mut bad = good.clone();
            bad[flip] ^= 0x40;
            let mut body = good.clone();
            body.extend_from_slice(&bad);
            body.extend_from_slice(&good);
            for cut in 0..=body.len() {
                let got = all(&[&body[..cut], &body[cut..]]);
                assert_eq!(got.len(), 2, "{what} at {flip}, cut {cut}");
                assert!(got[0].is_ok());
                let err = got[1].as_ref().unwrap_err();
                assert!(err.contains(what), "{err}");
            }
        }
    }

    #[test]
    fn bad_lengths_and_truncation_are_errors() {
        let mut d = Decoder::new();
        let mut m = 8u32.to_be_bytes().to_vec();
        m.extend_from_slice(&0u32.to_be_bytes());
        m.extend_from_slice(&crc32fast::hash(&m.clone()).to_be_bytes());
        let got = d.feed(&m);
        assert!(got[0].as_ref().unwrap_err().message.contains("length 8"));
        assert!(d.feed(&event("x", "{}")).is_empty(), "stays failed");
        assert!(d.finish().is_none());

        let body = event("messageStop", "{}");
        let got = all(&[&body[..body.len() - 3]]);
        assert_eq!(got.len(), 1);
        assert!(got[0].as_ref().unwrap_err().contains("ended inside"));
    }
}
