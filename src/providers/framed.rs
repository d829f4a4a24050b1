//! The stream plumbing every adapter shares: cutting the body into events
//! (SSE, NDJSON, or AWS's binary event stream), and holding back a fault decoded after some chunks of the
//! same read until those chunks are handed over, so a stream delivers every
//! chunk received before it fails (as litellm's does). An adapter supplies
//! only the translation of its events into OpenAI chunks ([`Translate`]).

use super::StreamDecoder;
use crate::error::Error;
use crate::{eventstream, ndjson, sse};

/// How a streamed body is cut into events.
pub trait Framing: Default + Send {
    type Event;
    /// The events the bytes of one read complete.
    fn feed(&mut self, bytes: &[u8]) -> Vec<Self::Event>;
    /// The body ended: an event left unterminated, if any.
    fn finish(&mut self) -> Option<Self::Event>;
}

impl Framing for sse::Decoder {
    type Event = sse::Event;
    fn feed(&mut self, bytes: &[u8]) -> Vec<sse::Event> {
        sse::Decoder::feed(self, bytes)
    }
    fn finish(&mut self) -> Option<sse::Event> {
        sse::Decoder::finish(self)
    }
}

impl Framing for ndjson::Decoder {
    type Event = Vec<u8>;
    fn feed(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        ndjson::Decoder::feed(self, bytes)
    }
    fn finish(&mut self) -> Option<Vec<u8>> {
        ndjson::Decoder::finish(self)
    }
}

/// A malformed message or a failed CRC is an event too: the translation
/// raises it after the chunks before it.
impl Framing for eventstream::Decoder {
    type Event = Result<eventstream::Message, Error>;
    fn feed(&mut self, bytes: &[u8]) -> Vec<Self::Event> {
        eventstream::Decoder::feed(self, bytes)
    }
    fn finish(&mut self) -> Option<Self::Event> {
        eventstream::Decoder::finish(self)
    }
}

/// An adapter's translation of its stream events into OpenAI chunk documents.
pub trait Translate: Send + 'static {
    type Framing: Framing;
    /// Append the chunks `events` complete to `out`; an error is the stream's
    /// fault, raised after the chunks already in `out` are delivered.
    fn decode(
        &mut self,
        events: Vec<<Self::Framing as Framing>::Event>,
        out: &mut Vec<Vec<u8>>,
    ) -> Result<(), Error>;
    /// Chunks owed when the body ends (e.g. a final usage chunk).
    fn end(&mut self, out: &mut Vec<Vec<u8>>) {
        let _ = out;
    }
    /// The provider signalled the end of the stream.
    fn done(&self) -> bool {
        false
    }
}

/// A [`StreamDecoder`] made of a framing and an adapter's [`Translate`].
pub struct Framed<T: Translate> {
    framing: T::Framing,
    translate: T,
    /// A fault decoded after some chunks of the same read, raised next call.
    fault: Option<Error>,
}

impl<T: Translate> Framed<T> {
    pub fn boxed(translate: T) -> Box<dyn StreamDecoder> {
        Box::new(Framed {
            framing: T::Framing::default(),
            translate,
            fault: None,
        })
    }

    fn run(
        &mut self,
        events: Vec<<T::Framing as Framing>::Event>,
        end: bool,
    ) -> Result<Vec<Vec<u8>>, Error> {
        if let Some(fault) = self.fault.take() {
            return Err(fault);
        }
        let mut out = Vec::with_capacity(events.len() + 1);
        let decoded = self.translate.decode(events, &mut out);
        if end && decoded.is_ok() {
            self.translate.end(&mut out);
        }
        match decoded {
            Ok(()) => Ok(out),
            Err(e) if out.is_empty() => Err(e),
            Err(e) => {
                self.fault = Some(e);
                Ok(out)
            }
        }
    }
}

impl<T: Translate> StreamDecoder for Framed<T> {
    fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        let events = self.framing.feed(bytes);
        self.run(events, false)
    }

    fn finish(&mut self) -> Result<Vec<Vec<u8>>, Error> {
        let last = self.framing.finish().into_iter().collect();
        self.run(last, true)
    }

    fn done(&self) -> bool {
        self.translate.done() && self.fault.is_none()
    }
}
