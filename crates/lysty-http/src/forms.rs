//! A strict reader for `application/x-www-form-urlencoded` bodies.
//!
//! Written by hand because the usual decoders (`form_urlencoded`, `serde_urlencoded`)
//! silently replace invalid UTF-8 with U+FFFD; a writer whose browser sent broken bytes
//! must be told, and shown what could be read, rather than have their letter altered.

use std::collections::HashMap;

use percent_encoding::percent_decode;

/// The decoded fields, and the names of fields whose bytes were not valid UTF-8
/// (their values are kept, lossily decoded, so the writer sees what arrived).
#[derive(Debug, Default)]
pub struct Form {
    fields: HashMap<String, String>,
    /// Every value of repeated fields (checkbox groups), in order.
    repeated: HashMap<String, Vec<String>>,
    pub invalid_utf8: Vec<String>,
}

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        let mut form = Form::default();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let name = decode(name);
            let value = decode(value);
            let name = String::from_utf8_lossy(&name).into_owned();
            let value = match String::from_utf8(value) {
                Ok(v) => v,
                Err(e) => {
                    form.invalid_utf8.push(name.clone());
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            };
            form.repeated
                .entry(name.clone())
                .or_default()
                .push(value.clone());
            // For single fields, the first value wins.
            form.fields.entry(name).or_insert(value);
        }
        form
    }

    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// Every value sent under `name` (a group of checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.repeated.get(name).cloned().unwrap_or_default()
    }

    /// A checkbox: present and not empty.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

fn decode(raw: &[u8]) -> Vec<u8> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_decode(&plus_as_space).collect()
}

/// A staff page's form, read from the request body under the router's size limit (which
/// answers 413 beyond it, as reading the bytes did).
pub struct FormBody(pub Form);

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormBody {
    type Rejection = axum::extract::rejection::BytesRejection;

    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let body = axum::body::Bytes::from_request(request, state).await?;
        Ok(FormBody(Form::parse(&body)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_decoded() {
        let form = Form::parse(b"body=%D0%9F%D1%80%D0%B8%D0%B2%D1%96%D1%82+%21&empty=&flag");
        assert_eq!(form.get("body"), "Привіт !");
        assert_eq!(form.get("empty"), "");
        assert_eq!(form.get("missing"), "");
        assert!(form.invalid_utf8.is_empty());
    }

    #[test]
    fn invalid_utf8_is_reported_not_hidden() {
        let form = Form::parse(b"body=ok%FF%FEok&name=fine");
        assert_eq!(form.invalid_utf8, ["body"]);
        assert_eq!(form.get("body"), "ok\u{fffd}\u{fffd}ok");
        assert_eq!(form.get("name"), "fine");
    }

    #[test]
    fn a_literal_plus_survives_when_encoded() {
        assert_eq!(Form::parse(b"a=1%2B1").get("a"), "1+1");
    }
}
