//! Errors for malformed inputs to the photo checks: a wrong buffer length, a zero or absurd size, an empty
//! file, a malformed hash. A bad *photo* is never an error; it is a verdict.

use std::fmt;

/// Why an input could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QualityError {
    /// The file has no bytes.
    EmptyFile,
    /// More header bytes were given than the file size says the file has.
    HeadLongerThanFile { head: u64, file: u64 },
    /// Width or height is zero.
    ZeroSize { width: u32, height: u32 },
    /// A side is below the smallest size the checks can measure.
    TooSmall { width: u32, height: u32, min: u32 },
    /// More pixels than the configured maximum.
    TooManyPixels { width: u32, height: u32, max: u64 },
    /// The long side is more than [`MAX_ASPECT`] times the short side.
    AbsurdAspect { width: u32, height: u32 },
    /// The RGBA buffer is not width × height × 4 bytes.
    BufferLength { expected: u64, actual: u64 },
    /// The source (capture) size is smaller than the pixels given, or of another shape.
    SourceSize {
        width: u32,
        height: u32,
        source_width: u32,
        source_height: u32,
    },
    /// A hash in text form is not hexadecimal of the right length.
    BadHash { which: &'static str },
}

/// The smallest accepted side of an RGBA input, in pixels.
pub const MIN_SIDE: u32 = crate::limits::MIN_PHOTO_SIDE;
/// The largest accepted ratio of long side to short side.
pub const MAX_ASPECT: u32 = crate::limits::MAX_PHOTO_ASPECT;

impl fmt::Display for QualityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use QualityError::*;
        match self {
            EmptyFile => f.write_str("the file is empty"),
            HeadLongerThanFile { head, file } => {
                write!(f, "{head} header bytes given for a file of {file} bytes")
            }
            ZeroSize { width, height } => write!(f, "image size {width}x{height} has a zero side"),
            TooSmall { width, height, min } => {
                write!(
                    f,
                    "image size {width}x{height} is too small to check (each side must be at least {min})"
                )
            }
            TooManyPixels { width, height, max } => {
                write!(f, "image size {width}x{height} has more than {max} pixels")
            }
            AbsurdAspect { width, height } => {
                write!(
                    f,
                    "image size {width}x{height}: the long side is more than {MAX_ASPECT} times the short side"
                )
            }
            BufferLength { expected, actual } => {
                write!(f, "RGBA buffer has {actual} bytes; width x height x 4 is {expected}")
            }
            SourceSize {
                width,
                height,
                source_width,
                source_height,
            } => write!(
                f,
                "source size {source_width}x{source_height} does not match pixels {width}x{height} \
                 (it must be the same or larger, with the same shape)"
            ),
            BadHash { which } => write!(f, "{which} is not a hexadecimal hash of the right length"),
        }
    }
}

impl std::error::Error for QualityError {}
