//! Checks the framing of every incoming message before the transport reads it.
//!
//! tower-lsp-server's transport stops reading for good at the first message
//! it cannot decode (a malformed header, a body that is not UTF-8 or not
//! JSON, JSON that is not a JSON-RPC message): its decoder's error ends the
//! input stream, and the server exits. One bad message from a buggy client
//! must not end the session, so stdin is read through [`Reframe`], which
//! parses the `Content-Length` framing itself and passes on only messages
//! the transport will decode. Each bad one is replaced by an
//! [`INVALID_MESSAGE`] notification, which `ordering.rs` answers with the
//! JSON-RPC error the client should see (parse error or invalid request,
//! with the request's id when it can be read). A message larger than
//! [`MAX_MESSAGE_BYTES`] is skipped unread, without being buffered.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, ReadBuf};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// The method of the notification standing for a message that could not be read.
pub const INVALID_MESSAGE: &str = "$/skill-lsp/invalidMessage";

/// Messages larger than this are skipped (64 MiB: far more than any skill).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// A header block longer than this without its blank line is not a header.
const MAX_HEADER_BYTES: usize = 8 * 1024;

/// Buffer capacity kept between messages.
const KEEP_BYTES: usize = 64 * 1024;

/// What the transport decodes: exactly its own message type.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only deserialized, to check a body is one
enum Message {
    Response(Response),
    Request(Request),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a header block.
    Headers,
    /// Waiting for a body of this many bytes.
    Body(usize),
    /// Discarding this many more bytes of a message too large to read.
    Skip(usize),
}

/// Stdin for the transport: well-framed, decodable messages only.
pub struct Reframe<R> {
    inner: R,
    /// Bytes read but not yet framed.
    input: Vec<u8>,
    /// Frames ready for the transport, from `out_pos` on.
    output: Vec<u8>,
    out_pos: usize,
    state: State,
    eof: bool,
    /// Garbage without a header end was already reported (until the next good message).
    garbage_reported: bool,
}

impl<R> Reframe<R> {
    pub fn new(inner: R) -> Reframe<R> {
        Reframe {
            inner,
            input: Vec::new(),
            output: Vec::new(),
            out_pos: 0,
            state: State::Headers,
            eof: false,
            garbage_reported: false,
        }
    }

    /// Frames what can be framed from `input`.
    fn process(&mut self) {
        loop {
            match self.state {
                State::Skip(left) => {
                    let n = left.min(self.input.len());
                    self.input.drain(..n);
                    if n < left {
                        self.state = State::Skip(left - n);
                        return;
                    }
                    self.state = State::Headers;
                }
                State::Body(len) => {
                    if self.input.len() < len {
                        return;
                    }
                    let body: Vec<u8> = self.input.drain(..len).collect();
                    // A huge message leaves no huge buffer behind.
                    self.input.shrink_to(KEEP_BYTES);
                    self.state = State::Headers;
                    self.pass_on(body);
                }
                State::Headers => {
                    let Some(end) = find(&self.input, b"\r\n\r\n") else {
                        if self.input.len() > MAX_HEADER_BYTES {
                            self.skip_garbage();
                        }
                        return;
                    };
                    match content_length(&self.input[..end]) {
                        Ok(len) => {
                            self.input.drain(..end + 4);
                            if len > MAX_MESSAGE_BYTES {
                                self.reject(
                                    ErrorCode::InvalidRequest,
                                    format!(
                                        "message of {len} bytes skipped: more than the {MAX_MESSAGE_BYTES} allowed"
                                    ),
                                    Value::Null,
                                );
                                self.state = State::Skip(len);
                            } else if len > 0 {
                                self.state = State::Body(len);
                            }
                        }
                        Err(why) => {
                            // A header glued after garbage: start again there.
                            let resync = self
                                .input
                                .get(1..end)
                                .and_then(|block| find(block, b"Content-Length"))
                                .map(|i| i + 1);
                            self.input.drain(..resync.unwrap_or(end + 4));
                            self.reject(ErrorCode::ParseError, why, Value::Null);
                        }
                    }
                }
            }
        }
    }

    /// Bytes that never end a header block: drop them up to the next header.
    fn skip_garbage(&mut self) {
        let next = find(&self.input[1..], b"Content-Length").map(|i| i + 1);
        // Keep a tail that may be the start of a header split across reads.
        let cut = next.unwrap_or(self.input.len().saturating_sub(16));
        self.input.drain(..cut);
        if !self.garbage_reported {
            self.garbage_reported = true;
            self.reject(
                ErrorCode::ParseError,
                "bytes without a message header skipped".to_string(),
                Value::Null,
            );
        }
    }

    /// A complete body: passed on when the transport can decode it, else
    /// replaced by an error for the client.
    fn pass_on(&mut self, body: Vec<u8>) {
        let Ok(text) = std::str::from_utf8(&body) else {
            return self.reject(
                ErrorCode::ParseError,
                "the message is not UTF-8".to_string(),
                Value::Null,
            );
        };
        // The common case first: one parse of a good message.
        let Err(not_a_message) = serde_json::from_str::<Message>(text) else {
            self.garbage_reported = false;
            return self.push_frame(&body);
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return self.reject(
                    ErrorCode::ParseError,
                    format!("the message is not JSON: {e}"),
                    Value::Null,
                )
            }
        };
        // Answer with the request's id when it has a usable one.
        let id = match value.get("id") {
            Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
            _ => Value::Null,
        };
        self.reject(
            ErrorCode::InvalidRequest,
            format!("the message is not a JSON-RPC 2.0 request, notification or response: {not_a_message}"),
            id,
        );
    }

    /// Queues an [`INVALID_MESSAGE`] notification in place of a bad message.
    fn reject(&mut self, code: ErrorCode, message: String, id: Value) {
        tracing::warn!("invalid message from the client: {message}");
        let note = json!({
            "jsonrpc": "2.0",
            "method": INVALID_MESSAGE,
            "params": {"code": code.code(), "message": message, "id": id},
        });
        self.push_frame(note.to_string().as_bytes());
    }

    fn push_frame(&mut self, body: &[u8]) {
        self.output
            .extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        self.output.extend_from_slice(body);
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Reframe<R> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.out_pos < this.output.len() {
                let n = buf.remaining().min(this.output.len() - this.out_pos);
                buf.put_slice(&this.output[this.out_pos..this.out_pos + n]);
                this.out_pos += n;
                if this.out_pos == this.output.len() {
                    this.output.clear();
                    this.output.shrink_to(KEEP_BYTES);
                    this.out_pos = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.eof {
                // A message cut off by the end of input is dropped with it.
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 16 * 1024];
            let mut read = ReadBuf::new(&mut chunk);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) if read.filled().is_empty() => this.eof = true,
                Poll::Ready(Ok(())) => {
                    if let State::Skip(left) = this.state {
                        // Skipped bytes are never buffered.
                        let n = left.min(read.filled().len());
                        this.state = if n < left {
                            State::Skip(left - n)
                        } else {
                            State::Headers
                        };
                        this.input.extend_from_slice(&read.filled()[n..]);
                    } else {
                        this.input.extend_from_slice(read.filled());
                    }
                    this.process();
                }
            }
        }
    }
}

/// The `Content-Length` of a header block (without its blank line).
fn content_length(block: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(block).map_err(|_| "a message header is not UTF-8".to_string())?;
    let mut length = None;
    for line in text.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed message header {:?}", truncate(line)));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n = value
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("invalid Content-Length {:?}", truncate(value.trim())))?;
            length = Some(n);
        }
    }
    length.ok_or_else(|| "a message header without Content-Length".to_string())
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(80) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The error answer an [`INVALID_MESSAGE`] notification stands for.
pub fn error_response(params: Option<Value>) -> Response {
    let params = params.unwrap_or(Value::Null);
    let code = params["code"].as_i64().map_or(ErrorCode::ParseError, ErrorCode::from);
    let message = params["message"].as_str().unwrap_or("invalid message").to_string();
    let id = serde_json::from_value::<Id>(params["id"].clone()).unwrap_or(Id::Null);
    Response::from_error(
        id,
        Error {
            code,
            message: message.into(),
            data: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// Everything `input` becomes, as (bodies passed on, rejections' params).
    async fn reframe(input: Vec<u8>) -> (Vec<Value>, Vec<Value>) {
        let mut out = Vec::new();
        let mut reader = Reframe::new(&input[..]);
        loop {
            let mut chunk = [0u8; 4096];
            let mut buf = ReadBuf::new(&mut chunk);
            std::future::poll_fn(|cx| Pin::new(&mut reader).poll_read(cx, &mut buf))
                .await
                .unwrap();
            if buf.filled().is_empty() {
                break;
            }
            out.extend_from_slice(buf.filled());
        }
        let (mut passed, mut rejected) = (Vec::new(), Vec::new());
        let mut rest = &out[..];
        while !rest.is_empty() {
            let end = find(rest, b"\r\n\r\n").unwrap();
            let len = content_length(&rest[..end]).unwrap();
            let body: Value = serde_json::from_slice(&rest[end + 4..end + 4 + len]).unwrap();
            rest = &rest[end + 4 + len..];
            if body["method"] == INVALID_MESSAGE {
                rejected.push(body["params"].clone());
            } else {
                passed.push(body);
            }
        }
        (passed, rejected)
    }

    #[tokio::test]
    async fn good_messages_pass_unchanged_and_bad_ones_become_errors() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let mut input = frame(good);
        input.extend(frame("{bad json"));
        input.extend(b"Content-Length: 3\r\n\r\n\xff\xfe\xfd");
        input.extend(frame(r#"{"jsonrpc":"2.0","id":7,"method":3}"#));
        input.extend(frame(r#"[1, 2]"#));
        input.extend(b"Content-Length: many\r\n\r\n");
        input.extend(b"garbage\r\n\r\n");
        input.extend(b"Content-Type: application/vscode-jsonrpc; charset=latin1\r\ncontent-length: 2\r\n\r\n{}");
        input.extend(frame(good));
        let (passed, rejected) = reframe(input).await;
        assert_eq!(passed.len(), 2, "{passed:?}");
        let codes: Vec<i64> = rejected.iter().map(|r| r["code"].as_i64().unwrap()).collect();
        assert_eq!(
            codes,
            [-32700, -32700, -32600, -32600, -32700, -32700, -32600],
            "{rejected:#?}"
        );
        assert_eq!(rejected[2]["id"], 7);
    }

    #[tokio::test]
    async fn garbage_before_a_header_is_skipped() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = vec![b'x'; MAX_HEADER_BYTES * 3];
        input.extend(frame(good));
        input.extend(b"noise");
        input.extend(frame(good));
        let (passed, rejected) = reframe(input).await;
        assert_eq!(passed.len(), 2, "{rejected:?}");
        assert!(!rejected.is_empty());
    }

    #[tokio::test]
    async fn an_oversized_message_is_skipped_unread() {
        let mut input = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE_BYTES + 10).into_bytes();
        input.resize(input.len() + MAX_MESSAGE_BYTES + 10, b'a');
        input.extend(frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
        let (passed, rejected) = reframe(input).await;
        assert_eq!(passed.len(), 1);
        assert_eq!(rejected.len(), 1);
        assert!(rejected[0]["message"].as_str().unwrap().contains("skipped"));
    }

    #[tokio::test]
    async fn an_empty_header_block_is_an_error_not_a_panic() {
        let mut input = b"\r\n\r\n".to_vec();
        input.extend(frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#));
        let (passed, rejected) = reframe(input).await;
        assert_eq!((passed.len(), rejected.len()), (1, 1));
    }

    /// Reads `input` delivered in chunks of the given sizes.
    struct Chunked {
        data: Vec<u8>,
        sizes: Vec<usize>,
        at: usize,
        turn: usize,
    }

    impl AsyncRead for Chunked {
        fn poll_read(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            let size = self
                .sizes
                .get(self.turn % self.sizes.len().max(1))
                .copied()
                .unwrap_or(1)
                .max(1);
            self.turn += 1;
            let n = size.min(buf.remaining()).min(self.data.len() - self.at);
            let at = self.at;
            buf.put_slice(&self.data[at..at + n]);
            self.at += n;
            Poll::Ready(Ok(()))
        }
    }

    /// Header fragments that are almost right.
    const ODD_HEADERS: &[&[u8]] = &[
        b"Content-Length: 5\r\n\r\n",
        b"\r\n\r\n",
        b"Content-Length: -1\r\n\r\n",
        b"Content-Length: 99999999999999999999999\r\n\r\n",
        b"Content-Length:",
        b"\r\n",
        b"{\"jsonrpc\":\"2.0\"}",
    ];

    /// Well-formed messages and arbitrary bytes, in any order.
    fn pieces() -> impl proptest::strategy::Strategy<Value = Vec<Vec<u8>>> {
        use proptest::prelude::*;
        let good = Just(frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#));
        let piece = prop_oneof![
            3 => good,
            1 => proptest::collection::vec(any::<u8>(), 0..64),
            1 => proptest::sample::select(ODD_HEADERS).prop_map(<[u8]>::to_vec),
        ];
        proptest::collection::vec(piece, 0..24)
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Whatever arrives, in whatever chunks: no panic, and everything
        /// passed on is a frame the transport decodes.
        #[test]
        fn any_input_in_any_chunks_gives_decodable_frames(
            pieces in pieces(),
            sizes in proptest::collection::vec(1usize..5000, 1..8),
        ) {
            let data: Vec<u8> = pieces.concat();
            let reader = Chunked { data, sizes, at: 0, turn: 0 };
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let out = runtime.block_on(async move {
                let mut reader = Reframe::new(reader);
                let mut out = Vec::new();
                loop {
                    let mut chunk = [0u8; 4096];
                    let mut buf = ReadBuf::new(&mut chunk);
                    std::future::poll_fn(|cx| Pin::new(&mut reader).poll_read(cx, &mut buf)).await.unwrap();
                    if buf.filled().is_empty() {
                        break out;
                    }
                    out.extend_from_slice(buf.filled());
                }
            });
            let mut rest = &out[..];
            while !rest.is_empty() {
                let end = find(rest, b"\r\n\r\n").expect("a header");
                let len = content_length(&rest[..end]).expect("a length");
                let body = &rest[end + 4..end + 4 + len];
                proptest::prop_assert!(serde_json::from_slice::<Message>(body).is_ok());
                rest = &rest[end + 4 + len..];
            }
        }
    }

    #[test]
    fn the_error_answer_keeps_the_id() {
        let r = error_response(Some(json!({"code": -32600, "message": "bad", "id": 7})));
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["id"], 7);
        assert_eq!(v["error"]["code"], -32600);
        let r = serde_json::to_value(error_response(None)).unwrap();
        assert_eq!(r["id"], Value::Null);
        assert_eq!(r["error"]["code"], -32700);
    }
}
