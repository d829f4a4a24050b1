//! Incremental Server-Sent Events decoder (bytes in, events out).
//!
//! Follows the WHATWG event-stream grammar: lines end in `\n`, `\r\n` or `\r`;
//! a blank line dispatches the event; lines starting with `:` are comments;
//! several `data:` lines join with `\n`; one space after the colon is dropped.
//! Frames may be split anywhere across reads, including inside a `\r\n`.

/// One dispatched event: its `event:` name (if any) and its joined data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub event: Option<String>,
    pub data: String,
}

/// Feed it the body as it arrives; it returns every event completed so far.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Where the unparsed part of `buf` starts.
    start: usize,
    /// The previous read ended on `\r`: a leading `\n` now belongs to it.
    after_cr: bool,
    pending: Pending,
}

/// The fields of the event being assembled.
#[derive(Debug, Default)]
struct Pending {
    data: Option<String>,
    event: Option<String>,
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decode `bytes`, returning the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut out = Vec::new();
        let mut bytes = bytes;
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = bytes.strip_prefix(b"\n") {
                bytes = rest;
            }
        }
        self.buf.extend_from_slice(bytes);
        while let Some(rel) = self.buf[self.start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        {
            let end = self.start + rel;
            let mut next = end + 1;
            if self.buf[end] == b'\r' {
                match self.buf.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            self.pending.line(&self.buf[self.start..end], &mut out);
            self.start = next;
        }
        self.buf.drain(..self.start);
        self.start = 0;
        out
    }

    /// The stream ended: an event not followed by a blank line is still
    /// dispatched (servers often omit the final one).
    pub fn finish(&mut self) -> Option<Event> {
        if !self.buf.is_empty() {
            let mut out = Vec::new();
            self.pending.line(&self.buf, &mut out);
            self.buf.clear();
        }
        self.pending.dispatch()
    }
}

impl Pending {
    fn line(&mut self, line: &[u8], out: &mut Vec<Event>) {
        if line.is_empty() {
            out.extend(self.dispatch());
            return;
        }
        if line[0] == b':' {
            return;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(b" ").unwrap_or(v))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(&value);
                }
                None => self.data = Some(value.into_owned()),
            },
            b"event" => self.event = Some(value.into_owned()),
            _ => {}
        }
    }

    fn dispatch(&mut self) -> Option<Event> {
        let event = self.event.take();
        self.data.take().map(|data| Event { event, data })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(parts: &[&[u8]]) -> Vec<Event> {
        let mut d = Decoder::new();
        let mut out: Vec<Event> = parts.iter().flat_map(|p| d.feed(p)).collect();
        out.extend(d.finish());
        out
    }

    fn data(s: &str) -> Event {
        Event {
            event: None,
            data: s.into(),
        }
    }

    #[test]
    fn whole_and_split_frames_decode_the_same() {
        let body = b"data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";
        let whole = all(&[body]);
        assert_eq!(
            whole,
            vec![data("{\"a\":1}"), data("{\"b\":2}"), data("[DONE]")]
        );
        for cut in 1..body.len() {
            assert_eq!(all(&[&body[..cut], &body[cut..]]), whole, "cut at {cut}");
        }
        let bytewise: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(all(&bytewise), whole);
    }

    #[test]
    fn crlf_and_cr_line_endings() {
        let body = b"data: x\r\n\r\ndata: y\r\rdata: z\n\n";
        assert_eq!(all(&[body]), vec![data("x"), data("y"), data("z")]);
        // \r\n split across two reads must not produce an extra blank line.
        assert_eq!(
            all(&[b"data: x\r", b"\ndata: y\r\n\r\n"]),
            vec![data("x\ny")]
        );
    }

    #[test]
    fn comments_multiline_data_and_event_names() {
        let body =
            b": OPENROUTER PROCESSING\n\nevent: message_start\ndata: line1\ndata:line2\nid: 7\n\n";
        assert_eq!(
            all(&[body]),
            vec![Event {
                event: Some("message_start".into()),
                data: "line1\nline2".into()
            }]
        );
    }

    #[test]
    fn unterminated_last_event_is_dispatched_at_finish() {
        assert_eq!(all(&[b"data: tail"]), vec![data("tail")]);
        assert_eq!(all(&[b": only a comment\n"]), vec![]);
    }
}
