//! The JSON of every chunk a stream has yielded, kept compactly for
//! `CustomStreamWrapper.chunks` (litellm keeps each yielded chunk; the stream
//! builds the objects only when `chunks` is first read).
//!
//! Consecutive chunks of one stream differ in a few bytes (the content piece,
//! an index, `finish_reason`): each document is stored as how many bytes it
//! shares with the previous one at the start and at the end, plus the bytes in
//! between. A 200-chunk chat stream of ~230-byte chunks takes ~3 KB instead of
//! ~55 KB as one `bytes` object a chunk.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// One document: the previous document's first `head` and last `tail` bytes
/// around `middle` bytes of [`ChunkLog::data`].
struct Entry {
    head: u32,
    tail: u32,
    middle: u32,
}

/// An append-only log of JSON documents (`bytes`), in order.
#[pyclass(module = "edgequake_litellm._elc_core")]
#[derive(Default)]
pub struct ChunkLog {
    entries: Vec<Entry>,
    data: Vec<u8>,
    last: Vec<u8>,
}

/// The length of the longest common prefix of `a` and `b`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The length of the longest common suffix of `a` and `b`.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

impl ChunkLog {
    /// Append `doc`; refused (`None`) for a document of 4 GiB or more.
    fn push(&mut self, doc: &[u8]) -> Option<()> {
        let len = u32::try_from(doc.len()).ok()?;
        // Both shared parts are within `doc` and do not overlap, so they fit in u32 too.
        let head = common_prefix(&self.last, doc);
        let tail = common_suffix(&self.last[head..], &doc[head..]);
        let middle = &doc[head..doc.len() - tail];
        self.data.extend_from_slice(middle);
        self.entries.push(Entry {
            head: head as u32,
            tail: tail as u32,
            middle: len - head as u32 - tail as u32,
        });
        self.last.clear();
        self.last.extend_from_slice(doc);
        Some(())
    }

    /// Every document, in order.
    fn documents(&self) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = Vec::with_capacity(self.entries.len());
        let mut at = 0usize;
        for e in &self.entries {
            let prev: &[u8] = out.last().map_or(&[], Vec::as_slice);
            let (head, tail, middle) = (e.head as usize, e.tail as usize, e.middle as usize);
            let mut doc = Vec::with_capacity(head + middle + tail);
            doc.extend_from_slice(&prev[..head]);
            doc.extend_from_slice(&self.data[at..at + middle]);
            doc.extend_from_slice(&prev[prev.len() - tail..]);
            at += middle;
            out.push(doc);
        }
        out
    }
}

#[pymethods]
impl ChunkLog {
    #[new]
    fn py_new() -> Self {
        ChunkLog::default()
    }

    /// Append one document (`bytes`); `ValueError` for one of 4 GiB or more.
    fn append(&mut self, doc: &[u8]) -> PyResult<()> {
        self.push(doc).ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err("a chunk of 4 GiB or more cannot be kept")
        })
    }

    /// Every document appended so far, in order, as `list[bytes]` (equal to
    /// what was appended); the log is left empty.
    fn take<'py>(&mut self, py: Python<'py>) -> Vec<Bound<'py, PyBytes>> {
        let docs = std::mem::take(self).documents();
        docs.iter().map(|d| PyBytes::new(py, d)).collect()
    }

    /// How many documents the log holds.
    fn __len__(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_come_back_equal_and_in_order() {
        let docs: Vec<&[u8]> = vec![
            br#"{"id":"x","choices":[{"delta":{"role":"assistant","content":"Hi"}}]}"#,
            br#"{"id":"x","choices":[{"delta":{"content":" there"}}]}"#,
            br#"{"id":"x","choices":[{"delta":{"content":" there"}}]}"#,
            b"",
            br#"{"id":"x","choices":[{"delta":{"content":"e"}}]}"#,
            br#"{"id":"x","choices":[{"delta":{},"finish_reason":"stop"}]}"#,
            b"aaaa",
            b"aa",
            b"aaaaaa",
        ];
        let mut log = ChunkLog::default();
        for d in &docs {
            assert!(log.push(d).is_some());
        }
        let back = log.documents();
        assert_eq!(back.len(), docs.len());
        for (b, d) in back.iter().zip(&docs) {
            assert_eq!(b.as_slice(), *d);
        }
    }

    #[test]
    fn similar_documents_are_stored_by_their_difference() {
        let mut log = ChunkLog::default();
        for i in 0..200 {
            let doc = format!(
                r#"{{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{{"index":0,"delta":{{"content":"w{i} "}},"finish_reason":null}}]}}"#
            );
            assert!(log.push(doc.as_bytes()).is_some());
        }
        // The first document whole, then a few bytes each.
        assert!(log.data.len() < 120 + 200 * 4, "{}", log.data.len());
    }
}
