//! Incremental newline-delimited JSON decoder (bytes in, lines out).
//!
//! Ollama streams one JSON document per line (`application/x-ndjson`). Lines
//! end in `\n` (a `\r` before it is dropped); blank lines are skipped; a last
//! line without a newline is returned by [`Decoder::finish`]. Reads may split
//! the body anywhere, including inside a multi-byte UTF-8 character, because
//! lines are cut at the byte level and only whole lines are handed out.

/// Feed it the body as it arrives; it returns every line completed so far.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decode `bytes`, returning the non-blank lines they complete (without
    /// their line ending).
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            self.buf.extend_from_slice(&rest[..i]);
            rest = &rest[i + 1..];
            let line = std::mem::take(&mut self.buf);
            push_line(line, &mut out);
        }
        self.buf.extend_from_slice(rest);
        out
    }

    /// The body ended: the last line, if it had no newline.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        push_line(std::mem::take(&mut self.buf), &mut out);
        out.pop()
    }
}

fn push_line(mut line: Vec<u8>, out: &mut Vec<Vec<u8>>) {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if !line.iter().all(u8::is_ascii_whitespace) {
        out.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(parts: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut d = Decoder::new();
        let mut out: Vec<Vec<u8>> = parts.iter().flat_map(|p| d.feed(p)).collect();
        out.extend(d.finish());
        out
    }

    fn lines(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn every_split_decodes_the_same() {
        // docs.ollama.com/api/chat: streamed responses, one object per line.
        let body = "{\"message\":{\"content\":\"Hé\"},\"done\":false}\r\n\n{\"message\":{\"content\":\"llo\"},\"done\":false}\n{\"done\":true,\"eval_count\":2}\n".as_bytes();
        let whole = all(&[body]);
        assert_eq!(
            whole,
            lines(&[
                "{\"message\":{\"content\":\"Hé\"},\"done\":false}",
                "{\"message\":{\"content\":\"llo\"},\"done\":false}",
                "{\"done\":true,\"eval_count\":2}",
            ])
        );
        for cut in 0..=body.len() {
            assert_eq!(all(&[&body[..cut], &body[cut..]]), whole, "cut at {cut}");
        }
        for a in 0..body.len() {
            for b in a..body.len() {
                let parts = [&body[..a], &body[a..b], &body[b..]];
                assert_eq!(all(&parts), whole, "cuts at {a} and {b}");
            }
        }
        let bytewise: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(all(&bytewise), whole);
    }

    #[test]
    fn last_line_without_newline_and_blank_lines() {
        assert_eq!(
            all(&[b"{\"a\":1}\n{\"b\":2}"]),
            lines(&["{\"a\":1}", "{\"b\":2}"])
        );
        assert_eq!(all(&[b"\n \r\n\t\n"]), Vec::<Vec<u8>>::new());
        let mut d = Decoder::new();
        assert!(d.feed(b"{\"partial\":").is_empty());
        assert_eq!(d.finish(), Some(b"{\"partial\":".to_vec()));
        assert_eq!(d.finish(), None);
    }
}
